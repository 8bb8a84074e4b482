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


# --- Committee-driven deputy work (groups, trainings, meetings, legislation, supervision) ---


class ActivityKind(models.TextChoices):
    """What an activity deputies are invited to is; decides which duty-record type attendance counts as."""

    GROUP_RESEARCH = "group_research", _("Group research (调研)")
    GROUP_INSPECTION = "group_inspection", _("Group inspection (视察)")
    GROUP_SYMPOSIUM = "group_symposium", _("Group symposium (座谈)")
    GROUP_TRAINING = "group_training", _("Group training (培训)")
    TRAINING_COURSE = "training_course", _("Training course")
    SC_SITTING = "sc_sitting", _("Sitting in on a standing-committee meeting")
    PRE_MEETING_RESEARCH = "pre_meeting_research", _("Pre-meeting research")
    PRE_MEETING_INSPECTION = "pre_meeting_inspection", _("Pre-meeting inspection")
    PRE_MEETING_TRAINING = "pre_meeting_training", _("Pre-meeting training")
    PRE_MEETING_SYMPOSIUM = "pre_meeting_symposium", _("Pre-meeting symposium")
    LEGISLATIVE_RESEARCH = "legislative_research", _("Legislative research")
    INSPECTION = "inspection", _("Inspection")
    BUDGET_REVIEW = "budget_review", _("Budget review")
    LAW_ENFORCEMENT_CHECK = "law_enforcement_check", _("Law-enforcement check")
    KEY_SUGGESTION_SUPERVISION = "key_suggestion_supervision", _("Key-suggestion supervision")
    EVALUATION_VISIT = "evaluation_visit", _("Special evaluation")


GROUP_ACTIVITY_KINDS = (
    ActivityKind.GROUP_RESEARCH,
    ActivityKind.GROUP_INSPECTION,
    ActivityKind.GROUP_SYMPOSIUM,
    ActivityKind.GROUP_TRAINING,
)
PRE_MEETING_KINDS = (
    ActivityKind.PRE_MEETING_RESEARCH,
    ActivityKind.PRE_MEETING_INSPECTION,
    ActivityKind.PRE_MEETING_TRAINING,
    ActivityKind.PRE_MEETING_SYMPOSIUM,
)
SUPERVISION_KINDS = (
    ActivityKind.INSPECTION,
    ActivityKind.BUDGET_REVIEW,
    ActivityKind.LAW_ENFORCEMENT_CHECK,
    ActivityKind.KEY_SUGGESTION_SUPERVISION,
    ActivityKind.EVALUATION_VISIT,
)

# activity kind -> the duty-record type (ActivityType.code) that attending it records
DUTY_CODE_OF_KIND = {
    **dict.fromkeys(GROUP_ACTIVITY_KINDS, "group_activity"),
    ActivityKind.TRAINING_COURSE: "training",
    ActivityKind.PRE_MEETING_TRAINING: "training",
    ActivityKind.SC_SITTING: "sc_meeting",
    ActivityKind.PRE_MEETING_RESEARCH: "inspection",
    ActivityKind.PRE_MEETING_INSPECTION: "inspection",
    ActivityKind.PRE_MEETING_SYMPOSIUM: "inspection",
    ActivityKind.LEGISLATIVE_RESEARCH: "legislation",
    **dict.fromkeys(SUPERVISION_KINDS, "inspection"),
}


class ActivityState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


class InvitationSource(models.TextChoices):
    STAFF = "staff", _("Invited by staff")
    PLANNER = "planner", _("Proposed by the rotation planner")
    GROUP = "group", _("Invited as a group member")
    ENROLLED = "enrolled", _("Enrolled by the deputy")


class SignInMethod(models.TextChoices):
    QR = "qr", _("QR code")
    CODE = "code", _("Sign-in code")
    STAFF = "staff", _("Marked by staff")


class TrainingKind(models.TextChoices):
    THEMATIC_AWAY = "thematic_away", _("Thematic training away from home")
    PRE_MEETING = "pre_meeting", _("Pre-meeting training (以会代训)")
    ONLINE = "online", _("Online study")
    INDUCTION = "induction", _("Induction training")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class MaterialKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")
    VIDEO = "video", _("Video link")


class GroupRole(models.TextChoices):
    LEADER = "leader", _("Group leader (组长)")
    DEPUTY_LEADER = "deputy_leader", _("Deputy group leader (副组长)")
    MEMBER = "member", _("Member")


class OutputKind(models.TextChoices):
    REPORT = "report", _("Research report")
    SUGGESTION = "suggestion", _("Group suggestion")
    OPINION = "opinion", _("Opinion")


class OpinionStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    HANDED = "handed", _("Handed to a unit")
    ANSWERED = "answered", _("Answered")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_PLAN = "in_plan", _("Included in the legislative plan")
    NOT_INCLUDED = "not_included", _("Not included")


class DraftStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    CONSULTING = "consulting", _("Open for comments")
    CLOSED = "closed", _("Comments closed")


class ProvisionKind(models.TextChoices):
    CHAPTER = "chapter", _("Chapter")
    SECTION = "section", _("Section")
    ARTICLE = "article", _("Article")


class EvaluationKind(models.TextChoices):
    DEPARTMENT_SERVICE = "department_service", _("Sampled evaluation of department services (部门服务抽样评)")
    AUDIT_RECTIFICATION = "audit_rectification", _("Evaluation of audit rectification (财政审计整改评)")
    JUDICIAL_CASES = "judicial_cases", _("Evaluation of a hundred judicial cases (司法百案质效评)")
