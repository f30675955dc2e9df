template kinds.rubric
