eval -f csv ../../rubrics/客户考核评分表.rubric spreadsheet/团队-gb18030.csv
