"""被災者台帳 (災害対策基本法 第90条の3): per household, what happened and what was given."""
