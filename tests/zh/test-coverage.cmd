test --coverage team.rubric
