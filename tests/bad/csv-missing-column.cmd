eval -f csv base.rubric in/csv-missing-column.csv
