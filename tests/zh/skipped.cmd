check --verbose skipped.rubric
