eval -f csv base.rubric in/csv-percent-as-fraction.csv
