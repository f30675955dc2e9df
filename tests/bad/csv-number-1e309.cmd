eval -f csv base.rubric in/csv-number-1e309.csv
