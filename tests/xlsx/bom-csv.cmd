eval -f csv --bom kinds.rubric kinds.csv
