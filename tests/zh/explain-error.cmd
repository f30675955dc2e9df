explain --id E1002 team.rubric team.csv
