eval -f csv base.rubric in/good1.facts in/facts/invalid-utf8.facts in/good3.facts
