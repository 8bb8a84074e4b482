"""Choices of the deputy registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Ethnicity(models.TextChoices):
    """The 56 ethnic groups, coded as in GB/T 3304."""

    HAN = "01", _("Han")
    MONGOL = "02", _("Mongol")
    HUI = "03", _("Hui")
    TIBETAN = "04", _("Tibetan")
    UYGHUR = "05", _("Uyghur")
    MIAO = "06", _("Miao")
    YI = "07", _("Yi")
    ZHUANG = "08", _("Zhuang")
    BUYEI = "09", _("Buyei")
    KOREAN = "10", _("Korean")
    MANCHU = "11", _("Manchu")
    DONG = "12", _("Dong")
    YAO = "13", _("Yao")
    BAI = "14", _("Bai")
    TUJIA = "15", _("Tujia")
    HANI = "16", _("Hani")
    KAZAKH = "17", _("Kazakh")
    DAI = "18", _("Dai")
    LI = "19", _("Li")
    LISU = "20", _("Lisu")
    VA = "21", _("Va")
    SHE = "22", _("She")
    GAOSHAN = "23", _("Gaoshan")
    LAHU = "24", _("Lahu")
    SUI = "25", _("Sui")
    DONGXIANG = "26", _("Dongxiang")
    NAXI = "27", _("Naxi")
    JINGPO = "28", _("Jingpo")
    KYRGYZ = "29", _("Kyrgyz")
    TU = "30", _("Tu")
    DAUR = "31", _("Daur")
    MULAO = "32", _("Mulao")
    QIANG = "33", _("Qiang")
    BLANG = "34", _("Blang")
    SALAR = "35", _("Salar")
    MAONAN = "36", _("Maonan")
    GELAO = "37", _("Gelao")
    XIBE = "38", _("Xibe")
    ACHANG = "39", _("Achang")
    PUMI = "40", _("Pumi")
    TAJIK = "41", _("Tajik")
    NU = "42", _("Nu")
    UZBEK = "43", _("Uzbek")
    RUSSIAN = "44", _("Russian")
    EVENKI = "45", _("Evenki")
    DEANG = "46", _("De'ang")
    BONAN = "47", _("Bonan")
    YUGUR = "48", _("Yugur")
    GIN = "49", _("Gin")
    TATAR = "50", _("Tatar")
    DERUNG = "51", _("Derung")
    OROQEN = "52", _("Oroqen")
    HEZHEN = "53", _("Hezhen")
    MONBA = "54", _("Monba")
    LHOBA = "55", _("Lhoba")
    JINO = "56", _("Jino")


class Party(models.TextChoices):
    CPC = "cpc", _("Communist Party of China")
    RCCK = "rcck", _("Revolutionary Committee of the Chinese Kuomintang")
    CDL = "cdl", _("China Democratic League")
    CDNCA = "cdnca", _("China National Democratic Construction Association")
    CAPD = "capd", _("China Association for Promoting Democracy")
    CPWDP = "cpwdp", _("Chinese Peasants and Workers Democratic Party")
    CZGP = "czgp", _("China Zhi Gong Party")
    JS = "js", _("Jiusan Society")
    TDSGL = "tdsgl", _("Taiwan Democratic Self-Government League")
    NONE = "none", _("No party affiliation")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("Junior college")
    SECONDARY = "secondary", _("Senior secondary school")
    JUNIOR = "junior", _("Junior secondary school or below")


class DeputyCategory(models.TextChoices):
    """The background used when matching deputies to work (the seed's 职务/企业/基层/专业)."""

    OFFICIAL = "official", _("Official")
    ENTERPRISE = "enterprise", _("Enterprise")
    GRASSROOTS = "grassroots", _("Grassroots")
    PROFESSIONAL = "professional", _("Professional")


class DeputyStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("deputy status", "Active")
    SUSPENDED = "suspended", _("Duties suspended")
    FORMER = "former", _("No longer a deputy")


class MandateStatus(models.TextChoices):
    SERVING = "serving", _("Serving")
    RESIGNED = "resigned", _("Resigned")
    RECALLED = "recalled", _("Recalled")
    TERMINATED = "terminated", _("Terminated")


class ActivityStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded automatically")
    DECLARED = "declared", _("Declared, waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
