template --bom ../../rubrics/客户考核评分表.rubric
