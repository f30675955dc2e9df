render -f md ../../rubrics/360度综合评价表.rubric
