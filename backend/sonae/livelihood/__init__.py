"""被災者生活再建支援金: estimates, applications, payments and push notices."""
