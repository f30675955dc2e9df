test team.rubric
