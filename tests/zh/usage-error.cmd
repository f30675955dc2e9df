eval team.rubric
