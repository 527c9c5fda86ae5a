// Renderers. Placeholder until the lesson runner lands.
import LessonModel
public enum RenderModule {}
