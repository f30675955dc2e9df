template ../../rubrics/360度综合评价表.rubric
