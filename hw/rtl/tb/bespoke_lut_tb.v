// Icarus testbench of the Bespoke LUT unit: loads the golden tables through the load port, streams
// the stimulus codes LANES at a time and writes one output word per line (hex) for `npusim check-rtl`.
// Plusargs: +base=FILE +dual=FILE (optional) +stimulus=FILE +count=N +out=FILE
`timescale 1ns / 1ps
module bespoke_lut_tb;
  localparam integer LANES = 4;
  localparam integer MAX_CODES = 65536 + 64;

  reg clk = 1'b0;
  reg rst_n = 1'b0;
  reg load_en = 1'b0, load_dual = 1'b0, dual_enable = 1'b0;
  reg [8:0] load_addr = 9'd0;
  reg [15:0] load_data = 16'd0;
  reg in_valid = 1'b0;
  reg [LANES*16-1:0] in_code = 0;
  wire out_valid;
  wire [LANES*16-1:0] out_data;

  bespoke_lut_unit #(.LANES(LANES)) dut (
      .clk(clk), .rst_n(rst_n), .load_en(load_en), .load_dual(load_dual), .load_addr(load_addr),
      .load_data(load_data), .dual_enable(dual_enable), .in_valid(in_valid), .in_code(in_code),
      .out_valid(out_valid), .out_data(out_data));

  always #1 clk = ~clk;

  reg [15:0] base_words [0:256];
  reg [15:0] dual_words [0:16];
  reg [15:0] codes [0:MAX_CODES-1];
  reg [1023:0] base_file, dual_file, stimulus_file, out_file;
  integer count, out_fd, i, lane, written;

  initial begin
    if (!$value$plusargs("base=%s", base_file) || !$value$plusargs("stimulus=%s", stimulus_file) ||
        !$value$plusargs("count=%d", count) || !$value$plusargs("out=%s", out_file)) begin
      $display("usage: +base=FILE [+dual=FILE] +stimulus=FILE +count=N +out=FILE");
      $finish;
    end
    $readmemh(base_file, base_words);
    $readmemh(stimulus_file, codes, 0, count - 1);
    if ($value$plusargs("dual=%s", dual_file)) begin
      $readmemh(dual_file, dual_words);
      dual_enable = 1'b1;
    end
    out_fd = $fopen(out_file, "w");
    @(negedge clk) rst_n = 1'b1;
    for (i = 0; i < 257; i = i + 1) begin
      @(negedge clk);
      load_en = 1'b1; load_dual = 1'b0; load_addr = i[8:0]; load_data = base_words[i];
    end
    if (dual_enable) begin
      for (i = 0; i < 17; i = i + 1) begin
        @(negedge clk);
        load_en = 1'b1; load_dual = 1'b1; load_addr = i[8:0]; load_data = dual_words[i];
      end
    end
    @(negedge clk) load_en = 1'b0;
    for (i = 0; i < count; i = i + LANES) begin
      @(negedge clk);
      in_valid = 1'b1;
      for (lane = 0; lane < LANES; lane = lane + 1) in_code[lane*16 +: 16] = (i + lane < count) ? codes[i + lane] : 16'd0;
    end
    @(negedge clk) in_valid = 1'b0;
    repeat (4) @(negedge clk);
    $fclose(out_fd);
    $finish;
  end

  // Collect outputs as they leave the pipeline.
  initial written = 0;
  always @(posedge clk) begin
    if (out_valid) begin
      for (lane = 0; lane < LANES; lane = lane + 1) begin
        if (written < count) begin
          $fwrite(out_fd, "%04x\n", out_data[lane*16 +: 16]);
          written = written + 1;
        end
      end
    end
  end
endmodule
