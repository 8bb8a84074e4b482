"""Scale data for benchmarks (`manage.py seed_scale`): a hundred congresses, 100,000 deputies,
300,000 suggestions and a million citizens' issues by default, consistent as the services would leave
them, written fast (PostgreSQL COPY) into a dedicated, freshly migrated database.

- `sizes.Sizes`: how much (`default`, `small`, `tiny`).
- `build.build(sizes, seed=, password=, progress=)`: makes it in one transaction, returns the manifest.
- `writer.Writer`: the one way rows are written (COPY on PostgreSQL, `bulk_create` elsewhere).
- `org`, `people`, `stations`, `suggestions`, `issues`: the stages; each module says what it makes
  and what it leaves out.
- `progress.Progress`: the progress bar and the closing table.

Randomness comes from `random.Random(seed)`, so the same seed and day give the same data, except the
unguessable codes (deputies' public codes, tracking codes), which come from the operating system's
random source as the models' own generators do.

History tables (django-simple-history) are not filled: the rows appear as if loaded by a migration.
Only the bench accounts have users; the other deputies and staff appear in timelines without one.
The focus congress (the largest city congress, where every bench account works) allows the largest
number of QR submissions an hour from one address (`IssueRules.intake_per_hour` = 32767, the
field's maximum), so a load test of the intake page is not throttled.

This package composes every app (it imports deputies, suggestions and liaison stations), so, like the
wiring modules, no app imports it; only the `seed_scale` command does.
"""
