eval -f json --bom kinds.rubric kinds.csv
