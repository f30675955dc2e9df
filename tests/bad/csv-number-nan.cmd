eval -f csv base.rubric in/csv-number-nan.csv
