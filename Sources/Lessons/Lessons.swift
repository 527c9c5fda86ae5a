// Lesson interpreter. Placeholder until the lesson runner lands.
import LessonModel
public enum LessonsModule {}
