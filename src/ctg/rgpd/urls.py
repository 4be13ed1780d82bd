app_name = "rgpd"
urlpatterns: list = []
