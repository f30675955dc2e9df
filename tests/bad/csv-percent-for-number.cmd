eval -f csv base.rubric in/csv-percent-for-number.csv
