eval -f csv base.rubric in/csv-crlf-mixed.csv
