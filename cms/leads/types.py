import graphene


class FormFieldDefinition(graphene.ObjectType):
    """One field of an editor-defined form, enough for a front end to render it."""

    name = graphene.String(required=True, description="The key to submit the value under.")
    label = graphene.String(required=True)
    field_type = graphene.String(
        required=True, description="Wagtail's field type: singleline, email, checkboxes, ..."
    )
    required = graphene.Boolean(required=True)
    help_text = graphene.String(required=True)
    choices = graphene.List(graphene.NonNull(graphene.String), required=True)
    default_value = graphene.String(required=True)

    @classmethod
    def from_field(cls, field):
        choices = [c.strip() for c in (field.choices or "").replace("\n", ",").split(",")]
        return cls(
            name=field.clean_name,
            label=field.label,
            field_type=field.field_type,
            required=field.required,
            help_text=field.help_text,
            choices=[c for c in choices if c],
            default_value=field.default_value or "",
        )
