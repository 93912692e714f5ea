"""Load every UK police force: 43 territorial forces of England and Wales, Police Scotland,
the PSNI, and the three national special police forces (BTP, CNC, MDP)."""

from django.db import migrations

FORCES = [
    # (code, name, country)
    ("avon-somerset", "Avon and Somerset Constabulary", "england"),
    ("bedfordshire", "Bedfordshire Police", "england"),
    ("cambridgeshire", "Cambridgeshire Constabulary", "england"),
    ("cheshire", "Cheshire Constabulary", "england"),
    ("city-of-london", "City of London Police", "england"),
    ("cleveland", "Cleveland Police", "england"),
    ("cumbria", "Cumbria Constabulary", "england"),
    ("derbyshire", "Derbyshire Constabulary", "england"),
    ("devon-cornwall", "Devon and Cornwall Police", "england"),
    ("dorset", "Dorset Police", "england"),
    ("durham", "Durham Constabulary", "england"),
    ("essex", "Essex Police", "england"),
    ("gloucestershire", "Gloucestershire Constabulary", "england"),
    ("gmp", "Greater Manchester Police", "england"),
    ("hampshire", "Hampshire and Isle of Wight Constabulary", "england"),
    ("hertfordshire", "Hertfordshire Constabulary", "england"),
    ("humberside", "Humberside Police", "england"),
    ("kent", "Kent Police", "england"),
    ("lancashire", "Lancashire Constabulary", "england"),
    ("leicestershire", "Leicestershire Police", "england"),
    ("lincolnshire", "Lincolnshire Police", "england"),
    ("merseyside", "Merseyside Police", "england"),
    ("met", "Metropolitan Police Service", "england"),
    ("norfolk", "Norfolk Constabulary", "england"),
    ("north-yorkshire", "North Yorkshire Police", "england"),
    ("northamptonshire", "Northamptonshire Police", "england"),
    ("northumbria", "Northumbria Police", "england"),
    ("nottinghamshire", "Nottinghamshire Police", "england"),
    ("south-yorkshire", "South Yorkshire Police", "england"),
    ("staffordshire", "Staffordshire Police", "england"),
    ("suffolk", "Suffolk Constabulary", "england"),
    ("surrey", "Surrey Police", "england"),
    ("sussex", "Sussex Police", "england"),
    ("thames-valley", "Thames Valley Police", "england"),
    ("warwickshire", "Warwickshire Police", "england"),
    ("west-mercia", "West Mercia Police", "england"),
    ("west-midlands", "West Midlands Police", "england"),
    ("west-yorkshire", "West Yorkshire Police", "england"),
    ("wiltshire", "Wiltshire Police", "england"),
    ("dyfed-powys", "Dyfed-Powys Police", "wales"),
    ("gwent", "Gwent Police", "wales"),
    ("north-wales", "North Wales Police", "wales"),
    ("south-wales", "South Wales Police", "wales"),
    ("scotland", "Police Scotland", "scotland"),
    ("psni", "Police Service of Northern Ireland", "northern-ireland"),
    ("btp", "British Transport Police", "uk"),
    ("cnc", "Civil Nuclear Constabulary", "uk"),
    ("mdp", "Ministry of Defence Police", "uk"),
]


def load_forces(apps, schema_editor):
    Force = apps.get_model("courses", "Force")
    for code, name, country in FORCES:
        Force.objects.update_or_create(code=code, defaults={"name": name, "country": country})


def unload_forces(apps, schema_editor):
    Force = apps.get_model("courses", "Force")
    Force.objects.filter(code__in=[code for code, _, _ in FORCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(load_forces, unload_forces)]
