"""The standard catalog: the ten disciplines of the model and the shared roles.

Loaded by migration `roles.0002_standard_catalog`; plain data so the demo and tests reuse it.
Costs are plausible annual costs per FTE in EUR (salary plus on-costs, Western Europe, 2026).
"""

DISCIPLINES = [
    # (slug, name, band, description)
    (
        "knowledge-management",
        "Knowledge management",
        "experiential",
        "Capture, curate and connect what people know so it flows into the work.",
    ),
    (
        "organisation-design",
        "Organisation design",
        "experiential",
        "Shape roles, processes, rewards and measures so that learning in the work pays.",
    ),
    (
        "learning-technology",
        "IT / learning technology",
        "experiential",
        "The platforms, integrations and data that put learning inside the workflow.",
    ),
    (
        "social-technology",
        "Social technology",
        "social",
        "Enterprise social networks and collaboration tools that let people learn from each other.",
    ),
    (
        "community-management",
        "Community management",
        "social",
        "Build and run communities of practice and networks of experts.",
    ),
    (
        "internal-communications",
        "Internal communications",
        "social",
        "Help new ideas move from individuals into the organisation's public sphere.",
    ),
    (
        "coaching-mentoring",
        "Coaching & mentoring",
        "social",
        "Coaches and mentors embedded in the workflows.",
    ),
    ("training-delivery", "Training delivery", "formal", "Classroom and virtual training."),
    (
        "instructional-design",
        "Instructional design",
        "formal",
        "Design formal courses and curricula, including compliance programmes.",
    ),
    (
        "elearning-development",
        "eLearning development",
        "formal",
        "Build self-paced digital courses.",
    ),
]

ROLES = [
    # (title, discipline slug, annual cost, band split or None, description)
    (
        "Knowledge Manager",
        "knowledge-management",
        85000,
        None,
        "Runs the knowledge base and the practices that keep it alive.",
    ),
    (
        "Knowledge Management Lead",
        "knowledge-management",
        105000,
        None,
        "Sets the knowledge strategy across the organisation.",
    ),
    (
        "Content Curator",
        "knowledge-management",
        62000,
        None,
        "Finds, filters and shares the best material for each team.",
    ),
    (
        "Information Architect",
        "knowledge-management",
        80000,
        None,
        "Designs taxonomies and findability across knowledge sources.",
    ),
    (
        "Organisation Design Consultant",
        "organisation-design",
        98000,
        None,
        "Redesigns roles, structures and processes around learning in the work.",
    ),
    (
        "Performance Consultant",
        "organisation-design",
        90000,
        None,
        "Diagnoses performance problems and fixes their causes in the system.",
    ),
    (
        "Rewards & Recognition Designer",
        "organisation-design",
        92000,
        None,
        "Aligns incentives and success measures with learning and sharing.",
    ),
    (
        "Learning Technologist",
        "learning-technology",
        76000,
        None,
        "Selects and configures the tools that bring learning into the workflow.",
    ),
    (
        "Learning Platform Engineer",
        "learning-technology",
        88000,
        None,
        "Builds and integrates learning platforms with work systems.",
    ),
    (
        "Learning Data Analyst",
        "learning-technology",
        82000,
        None,
        "Measures what people learn and use, from real work data.",
    ),
    (
        "Enterprise Social Network Manager",
        "social-technology",
        78000,
        None,
        "Runs the enterprise social network and its adoption.",
    ),
    (
        "Collaboration Platform Specialist",
        "social-technology",
        70000,
        None,
        "Configures and supports collaboration tools.",
    ),
    (
        "Community Manager",
        "community-management",
        68000,
        None,
        "Grows and moderates a community of practice.",
    ),
    (
        "Community of Practice Lead",
        "community-management",
        82000,
        None,
        "Leads several communities and their sponsors.",
    ),
    (
        "Internal Communications Specialist",
        "internal-communications",
        66000,
        None,
        "Tells the stories of people learning and sharing at work.",
    ),
    (
        "Internal Communications Lead",
        "internal-communications",
        88000,
        None,
        "Owns internal communication channels and campaigns.",
    ),
    ("Coach", "coaching-mentoring", 78000, None, "Coaches people and teams in the flow of work."),
    (
        "Mentoring Programme Lead",
        "coaching-mentoring",
        76000,
        None,
        "Matches mentors and mentees and supports the pairs.",
    ),
    (
        "Performance Coach",
        "coaching-mentoring",
        80000,
        {"social": 80, "formal": 20},
        "Coaching with some structured skills sessions.",
    ),
    ("Trainer", "training-delivery", 60000, None, "Delivers classroom and virtual courses."),
    (
        "Senior Trainer",
        "training-delivery",
        70000,
        None,
        "Delivers and owns a curriculum, trains the trainers.",
    ),
    (
        "Training Coordinator",
        "training-delivery",
        52000,
        None,
        "Schedules courses, rooms and participants.",
    ),
    (
        "Facilitator",
        "training-delivery",
        65000,
        {"social": 40, "formal": 60},
        "Runs workshops that are half course, half peer exchange.",
    ),
    (
        "Instructional Designer",
        "instructional-design",
        72000,
        None,
        "Designs courses and learning journeys.",
    ),
    (
        "Senior Instructional Designer",
        "instructional-design",
        84000,
        None,
        "Leads course design, including compliance programmes.",
    ),
    (
        "eLearning Developer",
        "elearning-development",
        70000,
        None,
        "Builds self-paced digital courses.",
    ),
    (
        "Multimedia Developer",
        "elearning-development",
        66000,
        None,
        "Produces video, animation and interactive media for courses.",
    ),
    (
        "LMS Administrator",
        "elearning-development",
        62000,
        None,
        "Administers the learning management system and its course catalog.",
    ),
]

BUILT_IN_TARGET_MODEL = {
    "name": "Modern Learning Department (70/20/10)",
    "description": (
        "Most (70%) in knowledge management, organisation design and IT; much (20%) in social "
        "technology, community management, internal comms, coaching and mentoring; some (10%) "
        "in training, instructional design and eLearning."
    ),
    "experiential_percent": 70,
    "social_percent": 20,
    "formal_percent": 10,
    "tolerance_points": 5,
}


def load_standard_catalog(discipline_model, role_model, target_model_model) -> None:
    """Create or update the disciplines, shared roles and built-in target model (idempotent)."""
    by_slug = {}
    for slug, name, band, description in DISCIPLINES:
        discipline, _ = discipline_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "band": band, "description": description}
        )
        by_slug[slug] = discipline
    for title, slug, cost, split, description in ROLES:
        role = role_model.objects.filter(organization__isnull=True, title=title).first()
        if role is None:
            role = role_model(organization=None, title=title)
        role.discipline = by_slug[slug]
        role.annual_cost = cost
        role.band_split = split or {}
        role.description = description
        role.save()
    fields = dict(BUILT_IN_TARGET_MODEL)
    name = fields.pop("name")
    target_model_model.objects.update_or_create(organization=None, name=name, defaults=fields)
