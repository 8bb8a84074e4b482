"""Leaders' dashboard and the statistics API: reads every app, writes nothing."""
