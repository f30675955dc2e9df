eval -f csv base.rubric in/csv-wrong-cell-count.csv
