test test-with-errors.rubric
