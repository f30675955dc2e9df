eval -f csv plurals/单数.rubric plurals/行.csv
