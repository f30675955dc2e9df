eval -f table team.rubric team.csv
