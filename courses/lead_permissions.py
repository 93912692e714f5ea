"""Who may do what in the admin screens on learners, training leads and forces: Wagtail
permission policies (wagtail.permission_policies), registered for their models in
CoursesConfig.ready() so that Wagtail's own views, menus and listings ask them.

- Learner profiles: a force training lead may view and change the profiles of their own forces'
  learners, an administrator every force's; nobody else any (editors and reviewers included).
  Leads hold no Django model permission: their scope is their TrainingLead row alone
  (selectors.lead_forces). Nobody adds or deletes profiles here (registration, the HR import and
  erasure do that).
- Training leads: administrators only.
- Forces: anyone with the model permission may view them (editors choose a force for a support
  service), but only administrators may add, change or delete one: a force's email domains
  decide who may register as its learner.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies import BasePermissionPolicy, ModelPermissionPolicy

from courses import selectors
from courses.models import Force, LearnerProfile, TrainingLead

LEARNER_ACTIONS = frozenset({"view", "change"})
_CACHE_ATTRIBUTE = "_courses_lead_force_ids"


def lead_force_ids(user) -> frozenset[int]:
    """selectors.lead_forces(user) as ids, read once per user object (one query), since a
    request asks the policy several times (menu, view, listing buttons)."""
    if not user.is_authenticated:
        return frozenset()
    ids = getattr(user, _CACHE_ATTRIBUTE, None)
    if ids is None:
        ids = frozenset(selectors.lead_forces(user).values_list("pk", flat=True))
        setattr(user, _CACHE_ATTRIBUTE, ids)
    return ids


class LeadLearnerPermissionPolicy(BasePermissionPolicy):
    """View and change learner profiles of the forces in selectors.lead_forces(user)."""

    def __init__(self):
        super().__init__(LearnerProfile)

    def user_has_permission(self, user, action):
        return action in LEARNER_ACTIONS and bool(lead_force_ids(user))

    def user_has_any_permission(self, user, actions):
        return bool(LEARNER_ACTIONS.intersection(actions)) and bool(lead_force_ids(user))

    def users_with_any_permission(self, actions):
        if not LEARNER_ACTIONS.intersection(actions):
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(training_lead__forces__isnull=False))
            .distinct()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return action in LEARNER_ACTIONS and instance.force_id in lead_force_ids(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return bool(LEARNER_ACTIONS.intersection(actions)) and (
            instance.force_id in lead_force_ids(user)
        )

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet[LearnerProfile]:
        """Scoped in the query (a subquery on the lead's forces), never in a template.
        Erased learners are left out: nothing about them is left to see or change."""
        if not LEARNER_ACTIONS.intersection(actions):
            return LearnerProfile.objects.none()
        return LearnerProfile.objects.filter(
            force__in=selectors.lead_forces(user), erased_at__isnull=True
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        if not LEARNER_ACTIONS.intersection(actions):
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(training_lead__forces=instance.force_id))
            .distinct()
        )


class SuperuserOnlyPermissionPolicy(BasePermissionPolicy):
    """Every action for active administrators, none for anyone else."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


class ForcePermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions for viewing forces; changing them is for administrators."""

    ADMINISTRATORS_ONLY = frozenset({"add", "change", "delete"})

    def __init__(self):
        super().__init__(Force)

    def user_has_permission(self, user, action):
        if action in self.ADMINISTRATORS_ONLY:
            return user.is_active and user.is_superuser
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        viewers = [action for action in actions if action not in self.ADMINISTRATORS_ONLY]
        administrators = Q(is_active=True, is_superuser=True)
        if viewers:
            holders = super().users_with_any_permission(viewers).values("pk")
            administrators |= Q(pk__in=holders)
        return get_user_model().objects.filter(administrators)


learner_permission_policy = LeadLearnerPermissionPolicy()
training_lead_permission_policy = SuperuserOnlyPermissionPolicy(TrainingLead)
force_permission_policy = ForcePermissionPolicy()


def register_permission_policies() -> None:
    """Called from CoursesConfig.ready(), before any admin view or menu asks for a policy."""
    from wagtail.permissions import register_permission_policy

    register_permission_policy(LearnerProfile, learner_permission_policy)
    register_permission_policy(TrainingLead, training_lead_permission_policy)
    register_permission_policy(Force, force_permission_policy)
