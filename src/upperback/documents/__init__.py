"""Documents made from a person's diary: the exports (JSON, CSV, FHIR) and the clinician's
PDF report. They sit above the store, whose records they read, and below the terminal and
the web app, which offer them."""
