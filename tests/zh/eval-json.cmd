eval -f json team.rubric team.csv zhang.facts
