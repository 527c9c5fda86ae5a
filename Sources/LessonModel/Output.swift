// Plain-data outputs of lesson directives. Placeholder until the lesson runner lands.
public enum LessonModelModule {}
