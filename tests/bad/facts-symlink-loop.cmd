eval -f csv base.rubric in/good1.facts in/loop/loop.facts in/good3.facts
