eval -f csv ../../rubrics/客户考核评分表.rubric team.xlsx
