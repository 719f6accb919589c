"""What the documents say: Japanese typesetting rules, the 新旧対照表 comparison, notice texts."""
