test --coverage quota/配额.rubric
