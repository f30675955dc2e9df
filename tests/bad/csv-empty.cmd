eval -f csv base.rubric in/csv-empty.csv
