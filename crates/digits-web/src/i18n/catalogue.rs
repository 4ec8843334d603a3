//! The catalogue: every text the page shows, in every language of
//! [`Lang::ALL`](super::Lang::ALL), in its order (English, Spanish, Simplified Chinese).
//! One entry per key: `Name [en, es, zh],`. `{name}` is a placeholder that [`super::tr`]
//! fills; every language must use the same ones. Entries are grouped: the texts of
//! `index.html` in the page's order, then each section's messages and text alternatives (a
//! new view's texts go in a group of its own). The notebook's terms: epoch — época — 轮次;
//! loss — pérdida — 损失; accuracy — exactitud — 准确率; precision — precisión — 精确率;
//! recall — exhaustividad — 召回率; feature map — mapa de características — 特征图;
//! confusion matrix — matriz de confusión — 混淆矩阵; cross-validation — validación cruzada —
//! 交叉验证.

use super::LANGS;

/// Declares [`Key`] and its texts; an entry without a text for every language does not
/// compile (its array has the wrong length).
macro_rules! catalogue {
    ($($key:ident [$($text:literal),+ $(,)?],)+) => {
        /// One text of the page, named as `index.html`'s `data-i18n` attributes name it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key {
            $(
                #[doc = concat!("\"", first!($($text),+), "\"")]
                $key,
            )+
        }

        impl Key {
            /// Every key, in the catalogue's order.
            pub const ALL: &'static [Key] = &[$(Key::$key),+];

            /// Its name: its identifier.
            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$key => stringify!($key),)+
                }
            }

            /// Its texts, in [`Lang::ALL`](super::Lang::ALL)'s order.
            pub(super) fn texts(self) -> &'static [&'static str; LANGS] {
                match self {
                    $(Key::$key => &[$($text),+],)+
                }
            }
        }
    };
}

/// The first of a list of literals (an entry's English text, for its doc comment).
macro_rules! first {
    ($first:literal $(, $rest:literal)*) => {
        $first
    };
}

catalogue! {
    // The page as a whole.
    PageTitle ["Digit Lab · train a CNN on handwritten digits in your browser", "Digit Lab · entrena una CNN con dígitos manuscritos en tu navegador", "Digit Lab · 在浏览器中用手写数字训练卷积神经网络"],
    SkipLink ["Skip to the lab", "Ir al laboratorio", "跳到实验室"],
    HeaderIntro ["Train the course notebook's convolutional network on 8×8 handwritten digits, step by step, entirely in your browser. Nothing you load leaves this page.", "Entrena la red convolucional del cuaderno del curso con dígitos manuscritos de 8×8, paso a paso y por completo en tu navegador. Nada de lo que cargues sale de esta página.", "在浏览器中逐步训练课程笔记本中的卷积神经网络，识别 8×8 的手写数字，全部在本地完成。你加载的任何内容都不会离开此页面。"],
    LanguageLabel ["Language", "Idioma", "语言"],
    UpdateReady ["A new version of Digit Lab is ready.", "Hay una nueva versión de Digit Lab.", "Digit Lab 有新版本可用。"],
    UpdateReload ["Reload", "Recargar", "重新加载"],
    Footer ["Digit Lab runs entirely in this page: the network trains in a background worker, written in Rust with burn, and the charts are drawn with plotters. No data leaves your browser.", "Digit Lab funciona por completo en esta página: la red se entrena en un worker en segundo plano, escrito en Rust con burn, y los gráficos se dibujan con plotters. Ningún dato sale de tu navegador.", "Digit Lab 完全在本页面中运行：网络在后台 worker 中训练（用 Rust 和 burn 编写），图表由 plotters 绘制。任何数据都不会离开你的浏览器。"],
    // 1 Data.
    DataHeading ["Data", "Datos", "数据"],
    DataSource ["Source", "Origen", "来源"],
    DataLoading ["loading…", "cargando…", "加载中…"],
    DataRows ["Rows", "Filas", "行数"],
    SplitPending ["made when training starts", "se hace al empezar el entrenamiento", "开始训练时划分"],
    DataOptionUci ["uci: the notebook's 5,620 rows by 43 writers", "uci: las 5620 filas del cuaderno, de 43 personas", "uci：笔记本使用的 5,620 行，来自 43 位书写者"],
    DataOptionDigits ["digits: 1,797 rows, for quick runs", "digits: 1797 filas, para entrenamientos rápidos", "digits：1,797 行，用于快速训练"],
    DataOptionFile ["your own CSV (choose one below)", "tu propio CSV (elígelo abajo)", "你自己的 CSV（在下方选择）"],
    ChartClassesEmpty ["Rows per class: not loaded yet", "Filas por clase: aún sin cargar", "每个类别的行数：尚未加载"],
    SamplesHeading ["A random image of each class", "Una imagen al azar de cada clase", "每个类别随机一张图像"],
    SamplesHint ["Click a digit to see its feature maps.", "Haz clic en un dígito para ver sus mapas de características.", "点击一个数字查看它的特征图。"],
    SampleRefresh ["New sample", "Otra muestra", "换一组样本"],
    DropIntro ["Use your own data: a CSV file with one image per line, 64 pixel values (0–16) then the label (0–9).", "Usa tus propios datos: un archivo CSV con una imagen por línea, 64 valores de píxel (0–16) y después la etiqueta (0–9).", "使用你自己的数据：CSV 文件，每行一张图像，先是 64 个像素值（0–16），然后是标签（0–9）。"],
    CsvChoose ["Choose a CSV file", "Elegir un archivo CSV", "选择 CSV 文件"],
    CsvDropHint ["or drop it here.", "o suéltalo aquí.", "或拖放到这里。"],
    DataBundled ["Use the bundled data", "Usar los datos incluidos", "使用内置数据"],
    TestCsvLabel ["Test on another CSV", "Evaluar con otro CSV", "用另一个 CSV 测试"],
    TestCsvDrop ["Split the data again", "Volver a dividir los datos", "重新划分数据"],
    TestCsvSplit ["Runs split the loaded data into training and test rows.", "Cada entrenamiento divide los datos cargados en filas de entrenamiento y de prueba.", "训练时会把已加载的数据划分为训练行和测试行。"],

    // 2 Model.
    ModelHeading ["Model", "Modelo", "模型"],
    ModelIntro ["The notebook's network is three convolution blocks (3×3 filters, ReLU, 2×2 max pooling, 25% dropout), then two sigmoid dense layers and a softmax over the ten digits. Change it: pick a preset or edit the spec; Start trains the network shown.", "La red del cuaderno tiene tres bloques de convolución (filtros de 3×3, ReLU, max pooling de 2×2, dropout del 25 %), después dos capas densas sigmoide y una softmax sobre los diez dígitos. Cámbiala: elige una red predefinida o edita la especificación; Empezar entrena la red que se muestra.", "笔记本中的网络由三个卷积块（3×3 卷积核、ReLU、2×2 最大池化、25% dropout）组成，之后是两个 sigmoid 全连接层和一个覆盖十个数字的 softmax。你可以修改它：选择预设或编辑结构描述；“开始”会训练当前显示的网络。"],
    PresetLabel ["Preset", "Red predefinida", "预设"],
    ArchSpecLabel ["Network spec", "Especificación de la red", "网络结构描述"],
    ArchHelp ["Layers separated by commas: <code>conv16</code> (16 filters, 3×3, ReLU), <code>conv8x5:tanh</code> (5×5 kernel, tanh), <code>pool</code>, <code>avgpool</code>, <code>bn</code>, <code>drop0.25</code>, <code>dense128:sigmoid</code>. Activations: relu, tanh, sigmoid, linear. The softmax output over the ten digits is always added.", "Capas separadas por comas: <code>conv16</code> (16 filtros, 3×3, ReLU), <code>conv8x5:tanh</code> (núcleo de 5×5, tanh), <code>pool</code>, <code>avgpool</code>, <code>bn</code>, <code>drop0.25</code>, <code>dense128:sigmoid</code>. Activaciones: relu, tanh, sigmoid, linear. La salida softmax sobre los diez dígitos se añade siempre.", "各层以逗号分隔：<code>conv16</code>（16 个卷积核，3×3，ReLU），<code>conv8x5:tanh</code>（5×5 卷积核，tanh），<code>pool</code>，<code>avgpool</code>，<code>bn</code>，<code>drop0.25</code>，<code>dense128:sigmoid</code>。激活函数：relu、tanh、sigmoid、linear。覆盖十个数字的 softmax 输出层总会自动添加。"],
    LayersLegend ["Layers (the softmax output is added after the last)", "Capas (la salida softmax se añade tras la última)", "各层（最后一层之后会添加 softmax 输出层）"],
    ArchAdd ["Add a layer", "Añadir una capa", "添加一层"],
    SweepHeading ["Sweep: compare networks", "Barrido: comparar redes", "扫描：比较网络"],
    SweepHint ["Trains every network below with every learning rate, from several seeds each (the seed of section 3, then the next ones), with section 3's other settings, one training after another to the last epoch: at most 64 trainings. The best mean test accuracy is marked; Load puts a network into the editor.", "Entrena cada red de abajo con cada tasa de aprendizaje, desde varias semillas cada una (la semilla de la sección 3 y las siguientes), con los demás ajustes de la sección 3, un entrenamiento tras otro hasta la última época: como mucho 64 entrenamientos. Se marca la mejor exactitud media de prueba; Cargar pone una red en el editor.", "用下面每个网络和每个学习率进行训练，每种组合使用多个随机种子（第 3 节的种子及其后续种子），其他设置沿用第 3 节，逐个训练到最后一个轮次：最多 64 次训练。平均测试准确率最高的会被标出；“载入”会把网络放入编辑器。"],
    SweepArchsLabel ["Networks, one spec per line", "Redes, una especificación por línea", "网络，每行一个结构描述"],
    SweepLrsLabel ["Learning rates (comma-separated)", "Tasas de aprendizaje (separadas por comas)", "学习率（以逗号分隔）"],
    SweepSeedsLabel ["Seeds", "Semillas", "种子数"],
    SweepStart ["Run the sweep", "Hacer el barrido", "运行扫描"],
    SweepRegion ["Sweep results (scrolls sideways on narrow screens)", "Resultados del barrido (se desplaza en horizontal en pantallas estrechas)", "扫描结果（窄屏上可横向滚动）"],
    SweepCaption ["Sweep results: mean ± standard deviation of test accuracy over the seeds", "Resultados del barrido: media ± desviación típica de la exactitud de prueba sobre las semillas", "扫描结果：各种子测试准确率的均值 ± 标准差"],
    ColParameters ["Parameters", "Parámetros", "参数"],
    ColTestAccuracy ["Test accuracy", "Exactitud de prueba", "测试准确率"],
    ColSecondsPerEpoch ["Seconds per epoch", "Segundos por época", "每轮次秒数"],
    ColEditor ["Editor", "Editor", "编辑器"],
    SummaryCaption ["Model summary, as Keras prints it", "Resumen del modelo, como lo imprime Keras", "模型摘要（与 Keras 的输出格式相同）"],
    ColLayerType ["Layer (type)", "Capa (tipo)", "层（类型）"],
    ColOutputShape ["Output shape", "Forma de salida", "输出形状"],
    ColParamCount ["Param #", "Parám. #", "参数个数"],
    SummaryTotal ["Total params", "Parámetros totales", "参数总数"],

    // 3 Train: the settings' labels (also in messages about them), the form, the run.
    TrainHeading ["Train", "Entrenar", "训练"],
    SettingEpochs ["Epochs", "Épocas", "轮次"],
    SettingBatch ["Batch size", "Tamaño de lote", "批大小"],
    SettingLr ["Learning rate", "Tasa de aprendizaje", "学习率"],
    SettingSeed ["Seed", "Semilla", "随机种子"],
    SettingTestSize ["Test size", "Tamaño de prueba", "测试集比例"],
    SettingFolds ["Folds", "Pliegues", "折数"],
    SettingScale ["Input scaling", "Escalado de la entrada", "输入缩放"],
    SettingBackend ["Backend", "Backend", "后端"],
    SettingSplit ["Split", "División", "划分"],
    SettingAugment ["Augmentation", "Aumento de datos", "数据增强"],
    SettingValidation ["Validation share", "Fracción de validación", "验证集比例"],
    SettingPatience ["Patience", "Paciencia", "耐心值"],
    SettingArch ["Network", "Red", "网络"],
    SettingOptimizer ["Optimizer", "Optimizador", "优化器"],
    ScaleRaw ["raw 0–16 (notebook)", "sin escalar 0–16 (cuaderno)", "原始 0–16（笔记本）"],
    ScaleUnit ["unit 0–1", "unitario 0–1", "归一化 0–1"],
    BackendFlex ["flex (fast)", "flex (rápido)", "flex（快）"],
    BackendNdarray ["ndarray (notebook, slower)", "ndarray (cuaderno, más lento)", "ndarray（笔记本，较慢）"],
    SplitRandom ["random 80/20 (notebook)", "aleatoria 80/20 (cuaderno)", "随机 80/20（笔记本）"],
    SplitStratified ["stratified (class shares kept)", "estratificada (se mantienen las proporciones de clase)", "分层（保持各类别比例）"],
    SplitWriters ["writers (uci only: test on 13 other people)", "por personas (solo uci: prueba con otras 13 personas)", "按书写者（仅 uci：用另外 13 人的数据测试）"],
    AugmentLabel ["Shift images by up to one cell (augment)", "Desplazar las imágenes hasta una celda (aumento de datos)", "将图像平移至多一个单元格（数据增强）"],
    PatienceLabel ["Patience (epochs, 0 = no early stopping)", "Paciencia (épocas, 0 = sin parada temprana)", "耐心值（轮次，0 = 不提前停止）"],
    TrainStart ["Start", "Empezar", "开始"],
    TrainPause ["Pause", "Pausa", "暂停"],
    TrainResume ["Resume", "Reanudar", "继续"],
    TrainStop ["Stop", "Detener", "停止"],
    StatusStarting ["Starting…", "Iniciando…", "正在启动…"],
    ProgressLabel ["Training progress", "Progreso del entrenamiento", "训练进度"],
    ProgressNone ["No run yet.", "Aún no hay ningún entrenamiento.", "尚未训练。"],
    ChartLossEmpty ["Loss per epoch: no run yet", "Pérdida por época: aún no hay ningún entrenamiento", "每轮次损失：尚未训练"],
    ChartAccuracyEmpty ["Accuracy per epoch: no run yet", "Exactitud por época: aún no hay ningún entrenamiento", "每轮次准确率：尚未训练"],
    HistorySummary ["Per-epoch table", "Tabla por época", "每轮次数据表"],
    ColEpoch ["Epoch", "Época", "轮次"],
    ColTrainLoss ["Train loss", "Pérdida de entrenamiento", "训练损失"],
    ColTestLoss ["Test loss", "Pérdida de prueba", "测试损失"],
    ColTrainAccuracy ["Train accuracy", "Exactitud de entrenamiento", "训练准确率"],
    ColValidationLoss ["Validation loss", "Pérdida de validación", "验证损失"],
    ColValidationAccuracy ["Validation accuracy", "Exactitud de validación", "验证准确率"],

    // 4 Feature maps.
    MapsHeading ["Feature maps", "Mapas de características", "特征图"],
    MapsIntro ["What each convolution and pooling layer computes for one image, every filter normalised as in the notebook (a layer of 1×1 maps, each a single number, as one strip normalised across the layer). They refresh after every epoch, so you can watch the features form.", "Lo que calcula cada capa de convolución y de pooling para una imagen, con cada filtro normalizado como en el cuaderno (una capa de mapas de 1×1, cada uno un solo número, se muestra como una franja normalizada en toda la capa). Se actualizan tras cada época, así que puedes ver cómo se forman las características.", "每个卷积层和池化层对一张图像的计算结果，每个卷积核都像笔记本中那样归一化（由 1×1 特征图组成的层，每个图只是一个数，合为一条并按整层归一化）。它们在每个轮次后刷新，你可以看到特征逐渐形成。"],
    ImageIndexLabel ["Image index", "Índice de la imagen", "图像索引"],
    FmOriginalLabel ["The chosen image", "La imagen elegida", "所选图像"],
    FigInput ["Input", "Entrada", "输入"],

    // 4 Feature maps: why this prediction, the filters, one number worked out.
    ExplainHeading ["Why this prediction", "Por qué esta predicción", "为什么是这个预测"],
    ExplainIntro ["For the image you chose last (here, among the samples in section 1, a test image in section 8 or your drawing in section 7): which pixels the answer leans on. The <em>occlusion map</em> blanks each pixel (or 2×2 block) in turn and shows how much the class's probability falls (vermillion) or rises (blue); the <em>saliency map</em> shows how strongly the class's score (its logit) responds to a small change of each pixel, computed by backpropagation. Both follow training.", "Para la última imagen que elegiste (aquí, entre las muestras de la sección 1, una imagen de prueba en la sección 8 o tu dibujo en la sección 7): en qué píxeles se apoya la respuesta. El <em>mapa de oclusión</em> borra cada píxel (o bloque de 2×2) por turno y muestra cuánto baja (bermellón) o sube (azul) la probabilidad de la clase; el <em>mapa de saliencia</em> muestra cuánto responde la puntuación de la clase (su logit) a un pequeño cambio de cada píxel, calculado por retropropagación. Los dos siguen al entrenamiento.", "针对你最后选择的图像（在这里、第 1 节的样本中、第 8 节的测试图像或第 7 节你的绘画）：答案依赖哪些像素。<em>遮挡图</em>依次把每个像素（或 2×2 方块）置零，显示该类别的概率下降（朱红）或上升（蓝色）了多少；<em>显著性图</em>显示该类别的得分（其 logit）对每个像素的微小变化有多敏感，由反向传播计算。两者都随训练更新。"],
    ExplainClassLabel ["Class explained", "Clase explicada", "解释的类别"],
    ExplainPredicted ["predicted", "la predicha", "预测的类别"],
    OccludeLabel ["Occlude", "Ocultar", "遮挡"],
    OccludePixel ["one pixel", "un píxel", "单个像素"],
    OccludeBlock ["2×2 blocks", "bloques de 2×2", "2×2 方块"],
    OcclusionEmpty ["Occlusion map: choose an image", "Mapa de oclusión: elige una imagen", "遮挡图：请选择一张图像"],
    OcclusionFallback ["Occlusion map of the chosen image: how much the class's probability falls when each pixel is blanked.", "Mapa de oclusión de la imagen elegida: cuánto baja la probabilidad de la clase al borrar cada píxel.", "所选图像的遮挡图：把每个像素置零时该类别的概率下降多少。"],
    OcclusionCaption ["Occlusion: the probability's fall", "Oclusión: la caída de la probabilidad", "遮挡：概率的下降"],
    SaliencyEmpty ["Saliency map: choose an image", "Mapa de saliencia: elige una imagen", "显著性图：请选择一张图像"],
    SaliencyFallback ["Saliency map of the chosen image: how strongly the class's logit responds to each pixel.", "Mapa de saliencia de la imagen elegida: cuánto responde el logit de la clase a cada píxel.", "所选图像的显著性图：该类别的 logit 对每个像素的响应有多强。"],
    SaliencyCaption ["Saliency: |∂ logit / ∂ pixel|", "Saliencia: |∂ logit / ∂ píxel|", "显著性：|∂ logit / ∂ 像素|"],
    KernelsHeading ["What the filters are", "Qué son los filtros", "卷积核是什么"],
    KernelsIntro ["The first convolution's kernels (vermillion positive, blue negative, white zero), each beside the map it makes of the image: a kernel slides over the image, and where the ink matches its pattern the map lights up.", "Los núcleos de la primera convolución (bermellón positivo, azul negativo, blanco cero), cada uno junto al mapa que hace de la imagen: un núcleo se desliza sobre la imagen y, donde la tinta coincide con su patrón, el mapa se ilumina.", "第一个卷积层的卷积核（朱红为正，蓝色为负，白色为零），每个旁边是它对图像生成的特征图：卷积核在图像上滑动，笔迹与其模式吻合的地方，特征图就会亮起来。"],
    ArithmeticHeading ["How one number is computed", "Cómo se calcula un número", "一个数是如何算出来的"],
    ArithmeticIntro ["Click any cell of a map above (or focus a map, press Enter and move with the arrow keys): here is the window of the input under the kernel, each value times its weight, their sum plus the filter's bias, and the activation, equal to the value in the map. Outside the image, \"same\" padding reads zeros.", "Haz clic en cualquier celda de un mapa de arriba (o selecciona un mapa, pulsa Intro y muévete con las flechas): aquí está la ventana de la entrada bajo el núcleo, cada valor por su peso, su suma más el sesgo del filtro y la activación, igual al valor del mapa. Fuera de la imagen, el relleno «same» lee ceros.", "点击上方任一特征图的单元格（或选中特征图，按 Enter 后用方向键移动）：这里显示卷积核下方的输入窗口、每个值乘以其权重、它们的和加上卷积核的偏置，以及激活值，它等于特征图中的值。在图像之外，“same”填充读取的是零。"],
    ArithmeticCaption ["Input × weight = product, for each place of the kernel", "Entrada × peso = producto, para cada posición del núcleo", "输入 × 权重 = 乘积，对应卷积核的每个位置"],

    // 5 Evaluate.
    EvaluateHeading ["Evaluate", "Evaluar", "评估"],
    HeadlineTestAccuracy ["Test accuracy:", "Exactitud de prueba:", "测试准确率："],
    TrainFirst ["train first", "entrena primero", "请先训练"],
    MetricsCaption ["On the held-out test rows", "Sobre las filas de prueba reservadas", "在预留的测试行上"],
    ColMetric ["Metric", "Métrica", "指标"],
    ColValue ["Value", "Valor", "数值"],
    ColNotebook ["Notebook", "Cuaderno", "笔记本"],
    ClassCaption ["Per class", "Por clase", "按类别"],
    ColDigit ["Digit", "Dígito", "数字"],
    ColPrecision ["Precision", "Precisión", "精确率"],
    ColRecall ["Recall", "Exhaustividad", "召回率"],
    ColSupport ["Support", "Soporte", "样本数"],
    BaselinesCaption ["Is a CNN needed? Simple models on the same training and test rows", "¿Hace falta una CNN? Modelos sencillos con las mismas filas de entrenamiento y de prueba", "真的需要卷积神经网络吗？在相同训练行和测试行上的简单模型"],
    ColModel ["Model", "Modelo", "模型"],
    ColInputs ["Inputs", "Entradas", "输入"],
    ColAccuracy ["Accuracy", "Exactitud", "准确率"],
    ColF1Macro ["F1 (macro)", "F1 (macro)", "F1（宏平均）"],
    ColSecondsToFit ["Seconds to fit", "Segundos de ajuste", "拟合秒数"],
    BaselinesNote ["After each training run, k-nearest neighbours (k = 3) and logistic regression are fitted on the same rows.", "Tras cada entrenamiento, se ajustan k vecinos más cercanos (k = 3) y una regresión logística con las mismas filas.", "每次训练结束后，会在相同的行上拟合 k 近邻（k = 3）和逻辑回归。"],
    ChartConfusionEmpty ["Confusion matrix: train first", "Matriz de confusión: entrena primero", "混淆矩阵：请先训练"],
    ConfusionTableSummary ["Confusion matrix as a table", "Matriz de confusión en forma de tabla", "混淆矩阵表格"],
    ConfusionCaption ["Rows: true digit; columns: predicted digit", "Filas: dígito real; columnas: dígito predicho", "行：真实数字；列：预测数字"],
    ConfusionCorner ["true \\ predicted", "real \\ predicho", "真实 \\ 预测"],
    ChartRocEmpty ["ROC curves: train first", "Curvas ROC: entrena primero", "ROC 曲线：请先训练"],

    // 6 Cross-validation.
    CvHeading ["Cross-validation", "Validación cruzada", "交叉验证"],
    CvIntro ["K-fold cross-validation trains a fresh network on each fold with the settings above and validates it on the rows it did not see.", "La validación cruzada de k pliegues entrena una red nueva en cada pliegue con los ajustes de arriba y la valida con las filas que no vio.", "K 折交叉验证用上面的设置在每一折上训练一个新网络，并在它没见过的行上验证。"],
    KfoldStart ["Run cross-validation", "Hacer la validación cruzada", "运行交叉验证"],
    CvProgressLabel ["Cross-validation progress", "Progreso de la validación cruzada", "交叉验证进度"],
    CvNotRun ["Not run yet.", "Aún no se ha hecho.", "尚未运行。"],
    HeadlineMeanAccuracy ["Mean accuracy:", "Exactitud media:", "平均准确率："],
    ChartCvEmpty ["Validation loss and accuracy per fold: not run yet", "Pérdida y exactitud de validación por pliegue: aún no se ha hecho", "每折的验证损失和准确率：尚未运行"],
    ColFold ["Fold", "Pliegue", "折"],
    ColTrainingRows ["Training rows", "Filas de entrenamiento", "训练行数"],
    ColValidationRows ["Validation rows", "Filas de validación", "验证行数"],

    // 7 Draw.
    DrawHeading ["Draw your own digit", "Dibuja tu propio dígito", "画一个你自己的数字"],
    DrawIntro ["Draw on the 32×32 pad with a mouse, a finger or a pen (or focus it and use the arrow keys and Space). Like the data set, every 4×4 block becomes one pixel counting its \"on\" cells (0–16). Once a network is trained or loaded, its prediction follows your drawing.", "Dibuja en el lienzo de 32×32 con el ratón, el dedo o un lápiz (o selecciónalo y usa las flechas y la barra espaciadora). Como en el conjunto de datos, cada bloque de 4×4 se convierte en un píxel que cuenta sus celdas «encendidas» (0–16). Cuando hay una red entrenada o cargada, su predicción sigue tu dibujo.", "用鼠标、手指或触控笔在 32×32 画板上绘画（或者选中画板，用方向键和空格键）。与数据集一样，每个 4×4 方块变成一个像素，其值为“点亮”单元格的个数（0–16）。网络训练好或加载后，它的预测会随你的绘画实时更新。"],
    DrawPadLabel ["Drawing pad, 32 by 32 cells: draw with a pointer, or move with the arrow keys and paint with Space", "Lienzo de dibujo de 32 por 32 celdas: dibuja con el puntero, o muévete con las flechas y pinta con la barra espaciadora", "画板，32×32 个单元格：用指针绘画，或用方向键移动、用空格键涂色"],
    DrawKeys ["Keys: arrows move the cursor, Space paints a cell.", "Teclas: las flechas mueven el cursor, la barra espaciadora pinta una celda.", "按键：方向键移动光标，空格键涂一个单元格。"],
    DrawUndo ["Undo", "Deshacer", "撤销"],
    DrawClear ["Clear", "Borrar", "清除"],
    DrawInputEmpty ["The 8×8 input: empty", "La entrada de 8×8: vacía", "8×8 输入：空"],
    DrawInputCaption ["As the network sees it (8×8)", "Tal como la ve la red (8×8)", "网络看到的样子（8×8）"],
    DrawPrompt ["Draw a digit.", "Dibuja un dígito.", "画一个数字。"],
    ChartDrawProbsEmpty ["Class probabilities: nothing drawn yet", "Probabilidades de cada clase: aún no hay dibujo", "各类别概率：尚未绘画"],
    DrawMapsSummary ["Feature maps of your drawing", "Mapas de características de tu dibujo", "你的绘画的特征图"],

    // 8 Look at the mistakes.
    LinkedHeading ["Look at the mistakes", "Mira los errores", "查看错误"],
    LinkedIntro ["After training or evaluating: choose a cell of the confusion matrix (rows true, columns predicted) to see its test images; choose an image to see its probabilities and feature maps.", "Después de entrenar o evaluar: elige una celda de la matriz de confusión (filas: real, columnas: predicho) para ver sus imágenes de prueba; elige una imagen para ver sus probabilidades y mapas de características.", "训练或评估之后：选择混淆矩阵中的一个单元格（行为真实值，列为预测值）查看其中的测试图像；选择一张图像查看它的概率和特征图。"],
    ConfusionGridCaption ["Confusion matrix: each cell is a button", "Matriz de confusión: cada celda es un botón", "混淆矩阵：每个单元格都是一个按钮"],
    ConfusionGridCorner ["true \\ pred.", "real \\ pred.", "真实 \\ 预测"],
    LinkedNoCell ["No cell chosen", "Ninguna celda elegida", "未选择单元格"],
    WrongHeading ["Most confidently wrong", "Errores con más confianza", "最自信的错误"],
    LinkedInputLabel ["The chosen test image", "La imagen de prueba elegida", "所选测试图像"],
    LinkedProbsLabel ["Class probabilities of the chosen test image", "Probabilidades de cada clase para la imagen de prueba elegida", "所选测试图像的各类别概率"],

    // Inside the network.
    InsideHeading ["Inside the network as it trains", "Dentro de la red mientras se entrena", "训练中的网络内部"],
    InsideIntro ["During a run, after its first and last epoch and every few epochs between: how the weights of every layer spread and settle (and the last step's gradients), and where the network puts the test images just before it decides.", "Durante un entrenamiento, tras su primera y su última época y cada pocas épocas entre ellas: cómo se reparten y se asientan los pesos de cada capa (y los gradientes del último paso), y dónde pone la red las imágenes de prueba justo antes de decidir.", "训练过程中，在第一个和最后一个轮次之后以及其间每隔几个轮次：每一层的权重如何分布并趋于稳定（以及最后一步的梯度），以及网络在做出判断之前把测试图像放在哪里。"],
    HistogramsHeading ["Weights and gradients, layer by layer", "Pesos y gradientes, capa por capa", "逐层的权重和梯度"],
    HistogramsHint ["The newest epoch in full colour, earlier ones fainter behind it.", "La época más reciente en color pleno, las anteriores más tenues detrás.", "最新轮次以全色显示，较早的轮次在其后以较淡的颜色显示。"],
    ProjectionHeading ["Where the digits live", "Dónde viven los dígitos", "数字分布在哪里"],
    ProjectionHint ["Each test image's last hidden layer, projected on its two principal axes (PCA), coloured by its true class and ringed when the network is wrong. Click a point to open its image above, in the linked view.", "La última capa oculta de cada imagen de prueba, proyectada sobre sus dos ejes principales (PCA), coloreada según su clase real y con un anillo cuando la red se equivoca. Haz clic en un punto para abrir su imagen arriba, en la vista enlazada.", "每张测试图像的最后一个隐藏层，投影到其两个主轴上（PCA），按真实类别着色，网络判断错误时加圈。点击一个点，在上方的联动视图中打开其图像。"],
    ProjectionEmpty ["The test images' projection appears after the first epoch", "La proyección de las imágenes de prueba aparece tras la primera época", "测试图像的投影在第一个轮次之后出现"],
    ProjectionPending ["Train a network to see where it puts the test images.", "Entrena una red para ver dónde pone las imágenes de prueba.", "训练一个网络，看看它把测试图像放在哪里。"],

    // 9 Compare runs.
    CompareHeading ["Compare runs", "Comparar entrenamientos", "比较训练"],
    CompareIntro ["Every finished training run of this tab is kept here. Overlay two of them, for example raw against unit scaling, or two seeds.", "Aquí se guarda cada entrenamiento terminado en esta pestaña. Superpón dos, por ejemplo sin escalar frente a escalado unitario, o dos semillas.", "此标签页中每次完成的训练都保存在这里。可以叠加比较其中两次，例如原始与归一化缩放，或两个随机种子。"],
    RunA ["Run A", "Entrenamiento A", "训练 A"],
    RunB ["Run B", "Entrenamiento B", "训练 B"],
    CurveLabel ["Curve", "Curva", "曲线"],
    CurveTestAccuracy ["test accuracy", "exactitud de prueba", "测试准确率"],
    CurveTestLoss ["test loss", "pérdida de prueba", "测试损失"],
    CurveTrainAccuracy ["train accuracy", "exactitud de entrenamiento", "训练准确率"],
    CurveTrainLoss ["train loss", "pérdida de entrenamiento", "训练损失"],
    ComparePersist ["Keep runs in this browser", "Guardar los entrenamientos en este navegador", "在此浏览器中保存训练记录"],
    CompareClear ["Forget all runs", "Olvidar todos los entrenamientos", "清除所有训练记录"],
    CompareNone ["Two runs compared: no runs yet", "Dos entrenamientos comparados: aún no hay ninguno", "两次训练对比：尚无训练"],
    RunsRegion ["Finished runs (scrolls sideways on narrow screens)", "Entrenamientos terminados (se desplaza en horizontal en pantallas estrechas)", "已完成的训练（窄屏上可横向滚动）"],
    ColRun ["Run", "Entrenamiento", "训练"],
    ColScaling ["Scaling", "Escalado", "缩放"],
    ColBatch ["Batch", "Lote", "批大小"],
    ColAugment ["Augment", "Aumento", "增强"],

    // 10 Save or load a model.
    FilesHeading ["Save or load a model", "Guardar o cargar un modelo", "保存或加载模型"],
    FilesIntro ["Download the current network as a file, or load one saved here or by the command line (<code>digits train --save model.dlab</code>). A loaded network can be evaluated, used with the drawing pad and trained further with the settings above.", "Descarga la red actual como archivo, o carga una guardada aquí o desde la línea de órdenes (<code>digits train --save model.dlab</code>). Una red cargada se puede evaluar, usar con el lienzo de dibujo y seguir entrenando con los ajustes de arriba.", "把当前网络下载为文件，或加载在这里或通过命令行保存的网络（<code>digits train --save model.dlab</code>）。加载的网络可以评估、配合画板使用，也可以用上面的设置继续训练。"],
    ModelSave ["Download the model", "Descargar el modelo", "下载模型"],
    ModelFileLabel ["Load a model file", "Cargar un archivo de modelo", "加载模型文件"],
    ModelEvaluate ["Evaluate it", "Evaluarlo", "评估它"],
    ModelTrainFurther ["Train it further", "Seguir entrenándolo", "继续训练"],
    ModelNone ["No model loaded.", "No hay ningún modelo cargado.", "未加载模型。"],

    // 11 Export and share.
    ExportHeading ["Export and share", "Exportar y compartir", "导出与分享"],
    ExportIntro ["Download the last run as files (nothing is uploaded), or copy a link that opens this page with the same settings. Every chart has its own PNG button.", "Descarga el último entrenamiento como archivos (no se sube nada), o copia un enlace que abre esta página con los mismos ajustes. Cada gráfico tiene su propio botón PNG.", "把最近一次训练下载为文件（不会上传任何内容），或复制一个以相同设置打开本页的链接。每个图表都有自己的 PNG 按钮。"],
    ExportHistoryCsv ["Per-epoch history (CSV)", "Historial por época (CSV)", "每轮次历史（CSV）"],
    ExportMetricsCsv ["Metrics (CSV)", "Métricas (CSV)", "指标（CSV）"],
    ExportJson ["Run record (JSON)", "Registro del entrenamiento (JSON)", "训练记录（JSON）"],
    ExportKeras ["Export as Keras (Python)", "Exportar como Keras (Python)", "导出为 Keras（Python）"],
    CopyLink ["Copy link to these settings", "Copiar el enlace a estos ajustes", "复制这些设置的链接"],
    ShareLinkLabel ["Link", "Enlace", "链接"],
    // Messages about settings and the URL (the reasons after the colon stay in English: they
    // come from the core, which the CLI shares).
    NotAccepted ["{name} = \"{value}\" is not accepted: {reason}", "{name} = «{value}» no es válido: {reason}", "{name} = “{value}” 无效：{reason}"],
    UrlParameterError ["URL parameter {error}. Using the default, {default}.", "Parámetro de la URL {error}. Se usa el valor por defecto, {default}.", "URL 参数 {error}。改用默认值 {default}。"],
    UnknownLanguage ["\"{value}\" is not a language of the page (expected {codes})", "«{value}» no es un idioma de la página (se esperaba {codes})", "“{value}”不是本页面支持的语言（应为 {codes}）"],
    NotBundled ["\"{value}\" is not a bundled data set (expected uci or digits)", "«{value}» no es un conjunto de datos incluido (se esperaba uci o digits)", "“{value}”不是内置数据集（应为 uci 或 digits）"],
    NotWhole ["\"{value}\" is not a whole number", "«{value}» no es un número entero", "“{value}”不是整数"],
    NotANumber ["\"{value}\" is not a number", "«{value}» no es un número", "“{value}”不是数字"],
    NotAName ["\"{value}\" is not a section or control name", "«{value}» no es el nombre de una sección ni de un control", "“{value}”不是区块或控件的名称"],
    NotAFlag ["\"{value}\" is neither 1 nor 0", "«{value}» no es ni 1 ni 0", "“{value}”既不是 1 也不是 0"],
    Outside ["{value} is outside {low}..{high}", "{value} está fuera de {low}..{high}", "{value} 超出范围 {low}..{high}"],
    BrowserLanguage ["the browser's language", "el idioma del navegador", "浏览器的语言"],
    RunLabel ["Run {run} · {data} · {split} · {augment} · seed {seed} · {scale} · lr {lr} · {epochs} epochs", "Entrenamiento {run} · {data} · {split} · {augment} · semilla {seed} · {scale} · tasa {lr} · {epochs} épocas", "训练 {run} · {data} · {split} · {augment} · 种子 {seed} · {scale} · 学习率 {lr} · {epochs} 轮次"],
    ProgressLine ["Epoch {epoch} of {epochs} · {elapsed} elapsed · ETA {eta} · {rate} samples/s", "Época {epoch} de {epochs} · {elapsed} transcurridos · quedan {eta} · {rate} muestras/s", "第 {epoch}/{epochs} 轮次 · 已用 {elapsed} · 预计剩余 {eta} · {rate} 样本/秒"],
    EpochOf ["epoch {epoch} of {epochs}", "época {epoch} de {epochs}", "第 {epoch}/{epochs} 轮次"],
    // Status line and announcements.
    StatusIdle ["Idle · press Start to train", "En espera · pulsa Empezar para entrenar", "空闲 · 按“开始”进行训练"],
    StatusError ["Error · {message}", "Error · {message}", "错误 · {message}"],
    AnnounceError ["Error: {message}", "Error: {message}", "错误：{message}"],
    WorkerCrashed ["{message}. Reload the page to try again.", "{message}. Recarga la página para volver a intentarlo.", "{message}。请重新加载页面后再试。"],
    WorkerRestarted ["{message}. It was restarted; press Start to try again.", "{message}. Se ha reiniciado; pulsa Empezar para volver a intentarlo.", "{message}。它已重新启动；按“开始”再试一次。"],
    WorkerStopped ["the training worker stopped", "el worker de entrenamiento se ha detenido", "训练 worker 已停止"],
    WorkerStoppedWith ["the training worker stopped: {message}", "el worker de entrenamiento se ha detenido: {message}", "训练 worker 已停止：{message}"],
    CouldNotStart ["Digit Lab could not start: {message}", "Digit Lab no ha podido arrancar: {message}", "Digit Lab 无法启动：{message}"],

    // 5 Evaluate: the baselines table.
    BaselinesPending ["When the run finishes, k-nearest neighbours and logistic regression are fitted on the same rows.", "Cuando termine el entrenamiento, se ajustarán k vecinos más cercanos y una regresión logística con las mismas filas.", "训练结束后，会在相同的行上拟合 k 近邻和逻辑回归。"],
    BaselinesFitting ["Fitting k-nearest neighbours and logistic regression on the same rows…", "Ajustando k vecinos más cercanos y una regresión logística con las mismas filas…", "正在相同的行上拟合 k 近邻和逻辑回归…"],
    BaselinesDone ["Every model trained on the same training rows and tested on the same test rows. Logistic regression fits unit inputs (0–1), which it solves in a second instead of half a minute.", "Todos los modelos se entrenaron con las mismas filas de entrenamiento y se probaron con las mismas filas de prueba. La regresión logística se ajusta con entradas unitarias (0–1), que resuelve en un segundo en lugar de medio minuto.", "所有模型都在相同的训练行上训练、在相同的测试行上测试。逻辑回归使用归一化输入（0–1），这样一秒即可求解，而不是半分钟。"],
    BaselineCnn ["CNN (this run)", "CNN (este entrenamiento)", "卷积神经网络（本次训练）"],
    BaselineKnn ["3-nearest neighbours", "3 vecinos más cercanos", "3 近邻"],
    BaselineLogistic ["logistic regression", "regresión logística", "逻辑回归"],
    InputsRaw ["raw pixels 0–16", "píxeles sin escalar 0–16", "原始像素 0–16"],
    InputsUnit ["unit pixels 0–1", "píxeles unitarios 0–1", "归一化像素 0–1"],

    // 9 Compare runs.
    RunsUnreadable ["The runs kept in this browser could not be read; they are ignored.", "No se han podido leer los entrenamientos guardados en este navegador; se ignoran.", "无法读取此浏览器中保存的训练记录，已忽略。"],
    StorageNotAllowed ["This page may not use the browser's storage here (e.g. in a sandboxed frame).", "Aquí esta página no puede usar el almacenamiento del navegador (p. ej., en un marco aislado).", "此页面在这里无法使用浏览器存储（例如在沙盒框架中）。"],
    StorageRefused ["The browser refused to keep the runs (storage full or not allowed).", "El navegador no ha guardado los entrenamientos (almacenamiento lleno o no permitido).", "浏览器拒绝保存训练记录（存储已满或不被允许）。"],
    CurveRunA ["run A", "entrenamiento A", "训练 A"],
    CurveRunB ["run B", "entrenamiento B", "训练 B"],
    RunNumber ["Run {run}", "Entrenamiento {run}", "训练 {run}"],
    CompareTitle ["Two runs compared: {curve}", "Dos entrenamientos comparados: {curve}", "两次训练对比：{curve}"],
    CompareRunEnds ["{run} ({label}, solid/dashed as in the legend) ends at {last}", "{run} ({label}, continua/discontinua como en la leyenda) termina en {last}", "{run}（{label}，实线/虚线见图例）最终为 {last}"],
    CompareLabel ["Two runs compared, {curve} per epoch: {runs}. Each run's settings are in the runs table.", "Dos entrenamientos comparados, {curve} por época: {runs}. Los ajustes de cada uno están en la tabla de entrenamientos.", "两次训练对比，每轮次的{curve}：{runs}。每次训练的设置见训练记录表。"],

    // 6 Cross-validation.
    Running ["running…", "en curso…", "运行中…"],
    CvStarting ["Starting {folds} folds of {epochs} epochs each", "Empezando {folds} pliegues de {epochs} épocas cada uno", "开始 {folds} 折，每折 {epochs} 个轮次"],
    CvFirstFold ["Cross-validating · fold 1 of {folds}", "Validación cruzada · pliegue 1 de {folds}", "交叉验证中 · 第 1/{folds} 折"],
    CvStarted ["Cross-validation started: {folds} folds of {epochs} epochs.", "Validación cruzada iniciada: {folds} pliegues de {epochs} épocas.", "交叉验证已开始：{folds} 折，每折 {epochs} 个轮次。"],
    FoldStarted ["Fold {fold} of {folds}: training on {train} rows, validating on {test}", "Pliegue {fold} de {folds}: entrenando con {train} filas, validando con {test}", "第 {fold}/{folds} 折：在 {train} 行上训练，在 {test} 行上验证"],
    FoldProgress ["Fold {fold} of {folds} · {progress}", "Pliegue {fold} de {folds} · {progress}", "第 {fold}/{folds} 折 · {progress}"],
    FoldPosition ["fold {fold} of {folds}, epoch {epoch} of {epochs}", "pliegue {fold} de {folds}, época {epoch} de {epochs}", "第 {fold}/{folds} 折，第 {epoch}/{epochs} 轮次"],
    CvStatus ["Cross-validating · {position}", "Validación cruzada · {position}", "交叉验证中 · {position}"],
    CvAnnounce ["Cross-validation {position}.", "Validación cruzada: {position}.", "交叉验证：{position}。"],
    CvNotebook ["(the notebook's own: {accuracy})", "(la del cuaderno: {accuracy})", "（笔记本的结果：{accuracy}）"],
    CvSpread ["over {folds} folds; mean validation loss {loss} ± {std} (± is the standard deviation)", "en {folds} pliegues; pérdida de validación media {loss} ± {std} (± es la desviación típica)", "共 {folds} 折；平均验证损失 {loss} ± {std}（± 表示标准差）"],
    CvAllDone ["All {folds} folds done", "Los {folds} pliegues han terminado", "全部 {folds} 折已完成"],
    CvDoneStatus ["Done · {folds}-fold cross-validation · mean accuracy {mean}", "Terminado · validación cruzada de {folds} pliegues · exactitud media {mean}", "完成 · {folds} 折交叉验证 · 平均准确率 {mean}"],
    CvDoneAnnounce ["Cross-validation done: mean accuracy {mean} over {folds} folds.", "Validación cruzada terminada: exactitud media {mean} en {folds} pliegues.", "交叉验证完成：{folds} 折的平均准确率为 {mean}。"],
    CvPoint ["fold {fold}: loss {loss}, accuracy {accuracy}", "pliegue {fold}: pérdida {loss}, exactitud {accuracy}", "第 {fold} 折：损失 {loss}，准确率 {accuracy}"],
    CvChartEmpty ["Validation loss and accuracy per fold: no fold finished yet.", "Pérdida y exactitud de validación por pliegue: aún no ha terminado ningún pliegue.", "每折的验证损失和准确率：尚无完成的折。"],
    CvChartLabel ["Validation loss and accuracy per fold: {folds}.", "Pérdida y exactitud de validación por pliegue: {folds}.", "每折的验证损失和准确率：{folds}。"],

    // 1 Data: messages.
    SourceUci ["UCI optdigits, 5,620 rows by 43 writers (Alpaydin & Kaynak, doi:10.24432/C50P49, CC BY 4.0)", "UCI optdigits, 5620 filas de 43 personas (Alpaydin y Kaynak, doi:10.24432/C50P49, CC BY 4.0)", "UCI optdigits，5,620 行，来自 43 位书写者（Alpaydin 与 Kaynak，doi:10.24432/C50P49，CC BY 4.0）"],
    SourceDigits ["UCI optdigits test partition (1,797 rows, as shipped by scikit-learn)", "partición de prueba de UCI optdigits (1797 filas, tal como la distribuye scikit-learn)", "UCI optdigits 测试部分（1,797 行，与 scikit-learn 自带的相同）"],
    ClassesLabel ["Rows per class. {counts}.", "Filas por clase. {counts}.", "每个类别的行数。{counts}。"],
    TestCsvLoaded ["Runs train on every loaded row and test on the {rows} rows of {name}.", "Los entrenamientos usan todas las filas cargadas y se prueban con las {rows} filas de {name}.", "训练使用全部已加载的行，并在 {name} 的 {rows} 行上测试。"],
    TheFile ["The file", "El archivo", "该文件"],
    StillUsing ["Still using {source}.", "Se sigue usando {source}.", "仍在使用 {source}。"],
    NotLoaded ["{name} was not loaded: {error}.", "No se ha cargado {name}: {error}.", "未加载 {name}：{error}。"],
    CsvTooLarge ["the file is too large ({size} MB); the limit is {limit} MB", "el archivo es demasiado grande ({size} MB); el límite es {limit} MB", "文件太大（{size} MB）；上限为 {limit} MB"],
    CouldNotRead ["{name} could not be read.", "No se ha podido leer {name}.", "无法读取 {name}。"],
    SampleLabel ["Digit {digit} (row {row}): show its feature maps", "Dígito {digit} (fila {row}): ver sus mapas de características", "数字 {digit}（第 {row} 行）：查看它的特征图"],

    // 7 Draw, and the panel it shares with section 8.
    DrawInputLabel ["Your drawing as the network's 8×8 input, pixels 0 to 16 row by row: {pixels}", "Tu dibujo como entrada de 8×8 de la red, píxeles de 0 a 16 fila a fila: {pixels}", "你的绘画作为网络的 8×8 输入，像素值 0 到 16，逐行排列：{pixels}"],
    DrawNoModel ["Train a network (section 3) or load one (section 10) to see what it makes of your digit.", "Entrena una red (sección 3) o carga una (sección 10) para ver qué opina de tu dígito.", "训练一个网络（第 3 节）或加载一个网络（第 10 节），看看它如何识别你的数字。"],
    YourDrawing ["your drawing", "tu dibujo", "你的绘画"],
    NetworkUntrained ["The untrained network", "La red sin entrenar", "未训练的网络"],
    NetworkOneEpoch ["The network (1 epoch)", "La red (1 época)", "网络（1 个轮次）"],
    NetworkEpochs ["The network ({epochs} epochs)", "La red ({epochs} épocas)", "网络（{epochs} 个轮次）"],
    NetworkSays ["{network} says {class} ({confidence}).", "{network} dice {class} ({confidence}).", "{network}认为是 {class}（{confidence}）。"],
    InputPixelsLabel ["{what} as the network's 8×8 input, pixels 0 to 16 row by row: {pixels}", "{what} como entrada de 8×8 de la red, píxeles de 0 a 16 fila a fila: {pixels}", "{what}作为网络的 8×8 输入，像素值 0 到 16，逐行排列：{pixels}"],
    ProbabilitiesLabel ["Class probabilities for {what}: {probabilities}. Predicted {predicted}.", "Probabilidades de cada clase para {what}: {probabilities}. Predicción: {predicted}.", "{what}的各类别概率：{probabilities}。预测为 {predicted}。"],
    HideUnknown ["URL parameter hide: nothing is called {unknown}. Names: {sections}, header, footer, or an element id such as train-start.", "Parámetro de la URL hide: nada se llama {unknown}. Nombres: {sections}, header, footer, o el id de un elemento como train-start.", "URL 参数 hide：没有名为 {unknown} 的内容。可用名称：{sections}、header、footer，或元素 id（例如 train-start）。"],

    // 5 Evaluate: messages and text alternatives.
    ConfusionLabel ["Confusion matrix heatmap: {right} of {total} test rows on the diagonal (right). Every count is in the confusion table.", "Mapa de calor de la matriz de confusión: {right} de {total} filas de prueba en la diagonal (aciertos). Todos los recuentos están en la tabla de confusión.", "混淆矩阵热图：{total} 个测试行中有 {right} 个位于对角线上（预测正确）。所有计数见混淆矩阵表格。"],
    RocLabel ["One-vs-rest ROC curves. AUC per class: {aucs}; macro AUC {macro}.", "Curvas ROC de uno contra el resto. AUC por clase: {aucs}; AUC macro {macro}.", "一对其余 ROC 曲线。各类别 AUC：{aucs}；宏平均 AUC {macro}。"],
    KeptEpoch ["early stopping kept epoch {epoch}'s weights", "la parada temprana conservó los pesos de la época {epoch}", "提前停止保留了第 {epoch} 轮次的权重"],
    TrainingDoneStatus ["Done · {epochs} epochs{kept} · test accuracy {accuracy}", "Terminado · {epochs} épocas{kept} · exactitud de prueba {accuracy}", "完成 · {epochs} 个轮次{kept} · 测试准确率 {accuracy}"],
    TrainingDoneAnnounce ["Training done after {epochs} epochs{kept}: test accuracy {accuracy}, test loss {loss}.", "Entrenamiento terminado tras {epochs} épocas{kept}: exactitud de prueba {accuracy}, pérdida de prueba {loss}.", "训练在 {epochs} 个轮次后完成{kept}：测试准确率 {accuracy}，测试损失 {loss}。"],
    PrecisionMacro ["Precision (macro)", "Precisión (macro)", "精确率（宏平均）"],
    RecallMacro ["Recall (macro)", "Exhaustividad (macro)", "召回率（宏平均）"],
    AucMacro ["AUC (macro, one-vs-rest)", "AUC (macro, uno contra el resto)", "AUC（宏平均，一对其余）"],

    // 11 Export and share.
    NoMetricsYet ["No metrics yet: train or evaluate first.", "Aún no hay métricas: entrena o evalúa primero.", "尚无指标：请先训练或评估。"],
    PngLabel ["Download the chart “{chart}” as PNG", "Descargar el gráfico «{chart}» como PNG", "将图表“{chart}”下载为 PNG"],
    Saved ["Saved {name}.", "Guardado {name}.", "已保存 {name}。"],
    NotExported ["Not exported: see the settings' message.", "No se ha exportado: mira el mensaje de los ajustes.", "未导出：请查看设置的提示信息。"],
    CopyRefused ["Copying was not allowed here: the link is selected in the field above, copy it with Ctrl+C (⌘C).", "Aquí no se permite copiar: el enlace está seleccionado en el campo de arriba; cópialo con Ctrl+C (⌘C).", "此处不允许复制：链接已在上方的输入框中选中，请用 Ctrl+C（⌘C）复制。"],
    LinkCopied ["Link copied.", "Enlace copiado.", "链接已复制。"],

    // 4 Feature maps: messages and text alternatives.
    NoDataYet ["No data is loaded yet.", "Aún no hay datos cargados.", "尚未加载数据。"],
    NotARow ["\"{text}\" is not a row: choose one from 0 to {last}.", "«{text}» no es una fila: elige una de 0 a {last}.", "“{text}”不是有效的行：请选择 0 到 {last} 之间的行。"],
    RowOfDigit ["Row {row}, a {digit}", "Fila {row}, un {digit}", "第 {row} 行，数字 {digit}"],
    RowNumber ["Row {row}", "Fila {row}", "第 {row} 行"],
    YourDrawingTitle ["Your drawing", "Tu dibujo", "你的绘画"],
    AsPixels ["{what}, as 8×8 pixels", "{what}, en 8×8 píxeles", "{what}，8×8 像素"],
    UntrainedPredicts ["{what}. The untrained network predicts {predicted} ({confidence}).", "{what}. La red sin entrenar predice {predicted} ({confidence}).", "{what}。未训练的网络预测为 {predicted}（{confidence}）。"],
    OneEpochPredicts ["{what}. After 1 epoch, the network predicts {predicted} ({confidence}).", "{what}. Tras 1 época, la red predice {predicted} ({confidence}).", "{what}。训练 1 个轮次后，网络预测为 {predicted}（{confidence}）。"],
    EpochsPredicts ["{what}. After {epochs} epochs, the network predicts {predicted} ({confidence}).", "{what}. Tras {epochs} épocas, la red predice {predicted} ({confidence}).", "{what}。训练 {epochs} 个轮次后，网络预测为 {predicted}（{confidence}）。"],
    LayerMapsLabel ["{layer}: {channels} feature maps of {height}×{width} for {what}", "{layer}: {channels} mapas de características de {height}×{width} para {what}", "{layer}：{what}的 {channels} 个 {height}×{width} 特征图"],

    // 8 Look at the mistakes: messages and text alternatives.
    CellLabel ["True {truth}, predicted {predicted}: {count} test images", "Real {truth}, predicho {predicted}: {count} imágenes de prueba", "真实 {truth}，预测 {predicted}：{count} 张测试图像"],
    NoneWrong ["No test image is wrong.", "Ninguna imagen de prueba está mal clasificada.", "没有分类错误的测试图像。"],
    CellCaptionRight ["True {truth}, predicted {predicted}: {count} test images ({truth}s recognised as {truth})", "Real {truth}, predicho {predicted}: {count} imágenes de prueba (el {truth} reconocido como {truth})", "真实 {truth}，预测 {predicted}：{count} 张测试图像（{truth} 被正确识别为 {truth}）"],
    CellCaptionWrong ["True {truth}, predicted {predicted}: {count} test images ({truth}s taken for {predicted})", "Real {truth}, predicho {predicted}: {count} imágenes de prueba (el {truth} confundido con el {predicted})", "真实 {truth}，预测 {predicted}：{count} 张测试图像（{truth} 被误认为 {predicted}）"],
    RowTruePredicted ["Row {row}: true {truth}, predicted {predicted} ({confidence})", "Fila {row}: real {truth}, predicho {predicted} ({confidence})", "第 {row} 行：真实 {truth}，预测 {predicted}（{confidence}）"],
    RowPredicted ["Row {row}: predicted {predicted} ({confidence})", "Fila {row}: predicho {predicted} ({confidence})", "第 {row} 行：预测 {predicted}（{confidence}）"],
    TestRow ["test row {row}", "la fila de prueba {row}", "测试行 {row}"],
    ThumbLabel ["Row {row}: true {truth}, predicted {predicted} ({confidence}); show its probabilities and feature maps", "Fila {row}: real {truth}, predicho {predicted} ({confidence}); ver sus probabilidades y mapas de características", "第 {row} 行：真实 {truth}，预测 {predicted}（{confidence}）；查看其概率和特征图"],

    // 2 Model: the preset menu (the core's presets, by name).
    PresetCustom ["Your own network", "Tu propia red", "你自己的网络"],
    PresetNotebook ["The notebook's network", "La red del cuaderno", "笔记本中的网络"],
    PresetSmall ["Small and fast", "Pequeña y rápida", "小而快"],
    PresetNoDropout ["The notebook's without dropout", "La del cuaderno sin dropout", "笔记本中的网络，去掉 dropout"],
    PresetReluDense ["The notebook's with ReLU dense layers", "La del cuaderno con capas densas ReLU", "笔记本中的网络，全连接层改用 ReLU"],
    PresetDeeper ["Deeper: two convolutions per block", "Más profunda: dos convoluciones por bloque", "更深：每个块两个卷积层"],
    PresetBatchNorm ["With batch normalization", "Con normalización por lotes", "带批归一化"],

    // 10 Save or load a model.
    ModelTooLarge ["{name} was not loaded: at {bytes} bytes it is too large for a Digit Lab model file.", "No se ha cargado {name}: con {bytes} bytes es demasiado grande para un archivo de modelo de Digit Lab.", "未加载 {name}：它有 {bytes} 字节，对 Digit Lab 模型文件来说太大了。"],
    ModelDownloaded ["Downloaded {name} ({bytes} bytes).", "Descargado {name} ({bytes} bytes).", "已下载 {name}（{bytes} 字节）。"],
    ModelAccuracy [", test accuracy {accuracy}", ", exactitud de prueba {accuracy}", "，测试准确率 {accuracy}"],
    ModelLoaded ["Loaded {name}: trained {epochs} epochs on {data} with {scale} scaling{accuracy} ({app}).", "Cargado {name}: entrenado {epochs} épocas con {data} y escalado {scale}{accuracy} ({app}).", "已加载 {name}：在 {data} 上以 {scale} 缩放训练了 {epochs} 个轮次{accuracy}（{app}）。"],
    ModelLoadedAnnounce ["Model {name} loaded.", "Modelo {name} cargado.", "模型 {name} 已加载。"],
    ModelRefused ["{name} was not loaded: {error}. The current network stays.", "No se ha cargado {name}: {error}. Se mantiene la red actual.", "未加载 {name}：{error}。保留当前网络。"],
    EvaluatedStatus ["Done · evaluated the current network · test accuracy {accuracy}", "Terminado · red actual evaluada · exactitud de prueba {accuracy}", "完成 · 已评估当前网络 · 测试准确率 {accuracy}"],

    // 2 Model: the layer list.
    LayerNumber ["Layer {n}", "Capa {n}", "第 {n} 层"],
    MoveLayerUp ["Move layer {n} up", "Subir la capa {n}", "上移第 {n} 层"],
    MoveLayerDown ["Move layer {n} down", "Bajar la capa {n}", "下移第 {n} 层"],
    RemoveLayer ["Remove layer {n}", "Quitar la capa {n}", "删除第 {n} 层"],
    LayerRemove ["Remove", "Quitar", "删除"],
    LayerFilters ["Filters", "Filtros", "卷积核数"],
    LayerKernel ["Kernel", "Núcleo", "卷积核大小"],
    LayerUnits ["Units", "Unidades", "单元数"],
    LayerRate ["Rate", "Tasa", "比率"],
    LayerActivation ["Activation", "Activación", "激活函数"],

    // 2 Model: the sweep.
    NotStarted ["Not started: {reasons}.", "No se ha empezado: {reasons}.", "未开始：{reasons}。"],
    NotStartedSettings ["Not started: see the settings' message.", "No se ha empezado: mira el mensaje de los ajustes.", "未开始：请查看设置的提示信息。"],
    SweepLine ["line {line}: {error}", "línea {line}: {error}", "第 {line} 行：{error}"],
    SweepRate ["learning rate {rate}: {reason}", "tasa de aprendizaje {rate}: {reason}", "学习率 {rate}：{reason}"],
    SweepSeedsNotWhole ["seeds: \"{value}\" is not a whole number", "semillas: «{value}» no es un número entero", "种子数：“{value}”不是整数"],
    SweepStarted ["Sweep started: {runs} trainings.", "Barrido iniciado: {runs} entrenamientos.", "扫描已开始：共 {runs} 次训练。"],
    SweepProgress ["Sweep: {position}.", "Barrido: {position}.", "扫描：{position}。"],
    SweepStatus ["Sweep · {position}", "Barrido · {position}", "扫描 · {position}"],
    SweepBest ["Sweep done: the best is {arch} at learning rate {rate} ({accuracy}).", "Barrido terminado: la mejor es {arch} con tasa de aprendizaje {rate} ({accuracy}).", "扫描完成：最佳为 {arch}，学习率 {rate}（{accuracy}）。"],
    SweepDone ["Sweep done.", "Barrido terminado.", "扫描完成。"],
    SweepLoad ["Load", "Cargar", "载入"],
    SweepLoadLabel ["Load {spec} into the editor", "Cargar {spec} en el editor", "将 {spec} 载入编辑器"],

    // 3 Train: the run's messages and the charts' text alternatives.
    SplitInfo ["{train} training rows, {test} test rows", "{train} filas de entrenamiento, {test} filas de prueba", "{train} 个训练行，{test} 个测试行"],
    TrainingEllipsis ["training…", "entrenando…", "训练中…"],
    TrainingStatus ["Training · {position}", "Entrenando · {position}", "训练中 · {position}"],
    TrainingStarted ["Training started: {epochs} epochs on {rows} rows.", "Entrenamiento iniciado: {epochs} épocas con {rows} filas.", "训练已开始：在 {rows} 行上训练 {epochs} 个轮次。"],
    TrainingEpochStatus ["Training · {position} · test accuracy {accuracy}", "Entrenando · {position} · exactitud de prueba {accuracy}", "训练中 · {position} · 测试准确率 {accuracy}"],
    EpochAnnounce ["Epoch {epoch} of {epochs}: test accuracy {accuracy}.", "Época {epoch} de {epochs}: exactitud de prueba {accuracy}.", "第 {epoch}/{epochs} 轮次：测试准确率 {accuracy}。"],
    SweepPosition ["training {run} of {runs}, epoch {epoch} of {epochs}", "entrenamiento {run} de {runs}, época {epoch} de {epochs}", "第 {run}/{runs} 次训练，第 {epoch}/{epochs} 轮次"],
    PausedStatus ["Paused · {position} · press Resume to continue", "En pausa · {position} · pulsa Reanudar para seguir", "已暂停 · {position} · 按“继续”接着训练"],
    PausedAnnounce ["Paused at {position}.", "En pausa en {position}.", "已在{position}暂停。"],
    ResumedAnnounce ["Resumed.", "Reanudado.", "已继续。"],
    StoppedStatus ["Stopped at {position} · press Start to train again", "Detenido en {position} · pulsa Empezar para volver a entrenar", "已在{position}停止 · 按“开始”重新训练"],
    StoppedAnnounce ["Stopped at {position}.", "Detenido en {position}.", "已在{position}停止。"],
    NoEpochYet ["no epoch yet", "aún ninguna época", "尚无轮次"],
    AfterEpoch ["after epoch {epoch}: train {train}, test {test}", "tras la época {epoch}: entrenamiento {train}, prueba {test}", "第 {epoch} 轮次后：训练 {train}，测试 {test}"],
    KeptEpochSee ["Early stopping kept epoch {epoch}'s weights (the lowest validation loss), marked by a vertical line. Every epoch's numbers are in the per-epoch table.", "La parada temprana conservó los pesos de la época {epoch} (la menor pérdida de validación), marcada con una línea vertical. Las cifras de cada época están en la tabla por época.", "提前停止保留了第 {epoch} 轮次的权重（验证损失最低），以竖线标出。每个轮次的数值见每轮次数据表。"],
    SeeTable ["Every epoch's numbers are in the per-epoch table.", "Las cifras de cada época están en la tabla por época.", "每个轮次的数值见每轮次数据表。"],
    LossLabel ["Loss per epoch, train and test; {last}. {see}", "Pérdida por época, de entrenamiento y de prueba; {last}. {see}", "每轮次的训练损失和测试损失；{last}。{see}"],
    AccuracyLabel ["Accuracy per epoch, train and test; {last}. {see}", "Exactitud por época, de entrenamiento y de prueba; {last}. {see}", "每轮次的训练准确率和测试准确率；{last}。{see}"],

    // 4 Why this prediction: messages and text alternatives.
    ExplainInfo ["{prediction} The maps explain class {class} ({confidence}).", "{prediction} Los mapas explican la clase {class} ({confidence}).", "{prediction}图中解释的是类别 {class}（{confidence}）。"],
    BlankedPixel ["each pixel", "cada píxel", "每个像素"],
    BlankedBlock ["each 2×2 block", "cada bloque de 2×2", "每个 2×2 方块"],
    OcclusionLabel ["{what}: occlusion map for class {class}, how much its probability falls when {blanked} is blanked. Largest at {top}.", "{what}: mapa de oclusión de la clase {class}, cuánto baja su probabilidad al borrar {blanked}. Mayores en {top}.", "{what}：类别 {class} 的遮挡图，即把{blanked}置零时其概率下降多少。最大处：{top}。"],
    SaliencyLabel ["{what}: saliency map for class {class}, how strongly its logit responds to each pixel. Largest at {top}.", "{what}: mapa de saliencia de la clase {class}, cuánto responde su logit a cada píxel. Mayores en {top}.", "{what}：类别 {class} 的显著性图，即其 logit 对每个像素的响应有多强。最大处：{top}。"],
    MapCell ["row {row}, column {col} ({value})", "fila {row}, columna {col} ({value})", "第 {row} 行第 {col} 列（{value}）"],
    NoConvolution ["This network has no convolution: it has no filters to show.", "Esta red no tiene convolución: no hay filtros que mostrar.", "该网络没有卷积层：没有可显示的卷积核。"],
    FilterCaption ["Filter {filter}", "Filtro {filter}", "卷积核 {filter}"],
    KernelLabel ["Filter {filter}'s {side}×{side} kernel, row by row: {weights}", "Núcleo de {side}×{side} del filtro {filter}, fila a fila: {weights}", "卷积核 {filter} 的 {side}×{side} 权重，逐行排列：{weights}"],
    KernelMapLabel ["Filter {filter}'s {height}×{width} map: click a cell, or press Enter and the arrow keys, to see how it is computed", "Mapa de {height}×{width} del filtro {filter}: haz clic en una celda, o pulsa Intro y las flechas, para ver cómo se calcula", "卷积核 {filter} 的 {height}×{width} 特征图：点击一个单元格，或按 Enter 和方向键，查看它是如何计算的"],
    ArithmeticPad ["pad", "relleno", "填充"],
    ArithmeticSum ["{layer}, filter {filter}, row {row}, column {col}: the products add up to {products}; plus the bias {bias} makes {sum}; {activation}({sum}) = {value}, the map's value.", "{layer}, filtro {filter}, fila {row}, columna {col}: los productos suman {products}; más el sesgo {bias} da {sum}; {activation}({sum}) = {value}, el valor del mapa.", "{layer}，卷积核 {filter}，第 {row} 行第 {col} 列：乘积之和为 {products}；加上偏置 {bias} 得 {sum}；{activation}({sum}) = {value}，即特征图中的值。"],
    ExplanationRefused ["No explanation: {message}.", "Sin explicación: {message}.", "无法解释：{message}。"],
    MapsRefused ["No feature maps: {message}.", "Sin mapas de características: {message}.", "无法显示特征图：{message}。"],
    InspectionRefused ["No prediction: {message}.", "Sin predicción: {message}.", "无法预测：{message}。"],

    // Inside the network: messages, text alternatives and the charts' words.
    HistogramRange ["from {low} to {high}, mean {mean}, standard deviation {std}", "de {low} a {high}, media {mean}, desviación típica {std}", "范围 {low} 到 {high}，均值 {mean}，标准差 {std}"],
    HistogramGradients ["the epoch's last step's gradients: {count} values {range}", "gradientes del último paso de la época: {count} valores {range}", "该轮次最后一步的梯度：{count} 个值，{range}"],
    NoGradientsYet ["no gradients yet", "aún sin gradientes", "尚无梯度"],
    HistogramLabel ["{layer} after epoch {epoch}: {count} weights {range}; {gradients}. Earlier epochs are drawn fainter.", "{layer} tras la época {epoch}: {count} pesos {range}; {gradients}. Las épocas anteriores se dibujan más tenues.", "{layer} 第 {epoch} 轮次后：{count} 个权重，{range}；{gradients}。较早的轮次以较淡的颜色绘制。"],
    HistogramWeightsTitle ["{layer} weights, epoch {epoch}", "Pesos de {layer}, época {epoch}", "{layer} 权重，第 {epoch} 轮次"],
    HistogramGradientsTitle ["{layer} gradients", "Gradientes de {layer}", "{layer} 梯度"],
    NoneYet ["{chart}: none yet", "{chart}: aún ninguno", "{chart}：暂无"],
    ProjectionTitle ["Last hidden layer ({units} units) on its principal axes, epoch {epoch}", "Última capa oculta ({units} unidades) sobre sus ejes principales, época {epoch}", "最后一个隐藏层（{units} 个单元）在其主轴上，第 {epoch} 轮次"],
    AxisPrincipalFirst ["axis 1 ({share} of the variance)", "eje 1 ({share} de la varianza)", "轴 1（占方差的 {share}）"],
    AxisPrincipalSecond ["axis 2 ({share})", "eje 2 ({share})", "轴 2（{share}）"],
    LegendWrong ["wrong", "error", "错误"],
    ClassCentre ["{class} at ({x}, {y})", "{class} en ({x}; {y})", "{class} 位于 ({x}, {y})"],
    ProjectionLabel ["After epoch {epoch}: {rows} test rows on the two principal axes of the last hidden layer ({units} units); axis 1 holds {first} of the variance, axis 2 {second}. {wrong} are misclassified (ringed). Class centres: {centres}. Click a point to open its image in the linked view.", "Tras la época {epoch}: {rows} filas de prueba sobre los dos ejes principales de la última capa oculta ({units} unidades); el eje 1 recoge el {first} de la varianza, el eje 2 el {second}. {wrong} están mal clasificadas (con anillo). Centros de las clases: {centres}. Haz clic en un punto para abrir su imagen en la vista enlazada.", "第 {epoch} 轮次后：{rows} 个测试行位于最后一个隐藏层（{units} 个单元）的两个主轴上；轴 1 占方差的 {first}，轴 2 占 {second}。{wrong} 个分类错误（加圈）。各类别中心：{centres}。点击一个点，在联动视图中打开其图像。"],
    ProjectionFromTestFile ["These test rows come from the test file: only the loaded data's rows open in the linked view.", "Estas filas de prueba vienen del archivo de prueba: solo las filas de los datos cargados se abren en la vista enlazada.", "这些测试行来自测试文件：只有已加载数据中的行才能在联动视图中打开。"],

    // The charts' own words (drawn on the canvas).
    ChartLossTitle ["Loss per epoch", "Pérdida por época", "每轮次损失"],
    ChartLossAxis ["cross-entropy loss", "pérdida de entropía cruzada", "交叉熵损失"],
    ChartAccuracyTitle ["Accuracy per epoch", "Exactitud por época", "每轮次准确率"],
    ChartAccuracyAxis ["accuracy", "exactitud", "准确率"],
    CurveTrain ["train", "entrenamiento", "训练"],
    CurveTest ["test", "prueba", "测试"],
    CurveValidation ["validation", "validación", "验证"],
    CurveKeptEpoch ["kept epoch", "época conservada", "保留的轮次"],
    ChartClassesTitle ["Rows per class", "Filas por clase", "每个类别的行数"],
    ChartConfusionTitle ["Confusion matrix (test rows)", "Matriz de confusión (filas de prueba)", "混淆矩阵（测试行）"],
    ChartCvLossTitle ["Validation loss per fold", "Pérdida de validación por pliegue", "每折验证损失"],
    ChartCvAccuracyTitle ["Validation accuracy per fold", "Exactitud de validación por pliegue", "每折验证准确率"],
    ChartProbabilitiesTitle ["Class probabilities", "Probabilidades de cada clase", "各类别概率"],
    ChartRocTitle ["ROC, one class vs the rest (test rows)", "ROC, una clase contra el resto (filas de prueba)", "ROC，一类对其余（测试行）"],
    ChartMean ["mean {mean}", "media {mean}", "均值 {mean}"],
    AxisDigit ["digit", "dígito", "数字"],
    AxisRows ["rows", "filas", "行数"],
    AxisPredicted ["predicted", "predicho", "预测"],
    AxisTrue ["true", "real", "真实"],
    AxisLoss ["loss", "pérdida", "损失"],
    AxisFold ["fold", "pliegue", "折"],
    AxisEpoch ["epoch", "época", "轮次"],
    AxisProbability ["probability", "probabilidad", "概率"],
    AxisFalsePositive ["false positive rate", "tasa de falsos positivos", "假正例率"],
    AxisTruePositive ["true positive rate", "tasa de verdaderos positivos", "真正例率"],
    TrueClass ["{class} (true)", "{class} (real)", "{class}（真实）"],
    LayerCaption ["{layer} · {channels} maps of {height}×{width}", "{layer} · {channels} mapas de {height}×{width}", "{layer} · {channels} 个 {height}×{width} 特征图"],
    StripNote ["1×1 maps: one strip, normalised across the layer", "mapas 1×1: una franja normalizada en toda la capa", "1×1 特征图：整层合为一条，按整层归一化"],
    ListSeparator [", ", "; ", "；"],
}
