eval -f csv in/grade-round.rubric in/grade-round.csv
