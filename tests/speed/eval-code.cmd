eval -f csv code.rubric team.csv
