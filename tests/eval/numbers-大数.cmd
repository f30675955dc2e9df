eval -f csv numbers/大数.rubric numbers/大数.csv
