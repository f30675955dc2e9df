eval -f csv long-text-value.rubric long-text-value.csv
