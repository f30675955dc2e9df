eval -f csv base.rubric in/csv-invalid-utf8-and-gb18030.csv
