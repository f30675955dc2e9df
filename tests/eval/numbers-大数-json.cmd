eval -f json numbers/大数.rubric numbers/大数.csv
