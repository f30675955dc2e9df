test test-with-errors.rubric test-clean-for-errors.rubric
