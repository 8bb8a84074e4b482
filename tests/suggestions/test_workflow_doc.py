"""docs/WORKFLOWS.md is generated from the state machines; it must match the code."""

from suggestions.workflow_doc import document_path, render


def test_workflows_document_matches_the_state_machines():
    # given the state machines declared on the models
    expected = render()

    # when the committed document is read
    actual = document_path().read_text(encoding="utf-8")

    # then it is exactly what the code generates (run `python manage.py workflows_doc` after a change)
    assert actual == expected


def test_every_machine_is_documented_with_its_moves():
    # given the generated document
    document = render()

    # then it has the suggestion's, the assignment's and the co-signer's graphs with their key moves
    for line in [
        "draft --> submitted : submit",
        "replied --> assigned : reopen",
        "pre_assigned --> assigned : assign",
        "assigned --> signed : sign",
        "invited --> confirmed : confirm",
    ]:
        assert line in document
