eval -f json 综合/综合.rubric 综合/员工.csv
