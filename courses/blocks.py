"""StreamField blocks for lesson bodies. (Skeleton: the authoring issue fills this in.)"""

from wagtail import blocks


class LessonStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(icon="pilcrow")
