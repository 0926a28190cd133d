"""Individual evacuation plans (個別避難計画, 災害対策基本法 第49条の14), made only with consent."""
